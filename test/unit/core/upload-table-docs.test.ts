// docs/upload-engine.md shows the upload lifecycle's states × actions table; it must be the reducer's own
// (scripts/upload-table.mjs computes it; `npm run docs:table` rewrites the page).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { reduceUpload } from "../../../src/core/upload-machine.js";
import { documentedTable, uploadTable } from "../../../scripts/upload-table.mjs";

describe("the lifecycle table in docs/upload-engine.md", () => {
  it("is the table the reducer gives (run npm run docs:table after changing the reducer)", () => {
    const page = readFileSync(resolve(import.meta.dirname, "../../../docs/upload-engine.md"), "utf8");
    expect(documentedTable(page)).toBe(uploadTable(reduceUpload as never));
  });
});
