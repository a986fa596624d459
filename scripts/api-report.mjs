// The public API report: API Extractor reads each entry's built declarations (dist/*.d.ts) and writes
// api/<entry>.api.md, every export with its signature. `npm test` runs it without --update and fails when
// the public surface changed but the report did not, so every API change is a visible diff in review.
//   node scripts/api-report.mjs            check (CI)
//   node scripts/api-report.mjs --update   rewrite api/*.api.md after an intended change
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const root = resolve(import.meta.dirname, "..");
const update = process.argv.includes("--update");
const entries = [
  ["lesson-video-kit", "index"],
  ["lesson-video-kit-core", "core"],
  ["lesson-video-kit-uploader", "uploader"],
  ["lesson-video-kit-server", "server"],
  ["lesson-video-kit-server-redis", "server-redis"],
  ["lesson-video-kit-emulator", "emulator"],
  ["lesson-video-kit-testing", "testing"],
  ["lesson-video-kit-locales", "locales"],
];

mkdirSync(resolve(root, "api"), { recursive: true });
mkdirSync(resolve(root, "node_modules/.cache/api-extractor"), { recursive: true });
let failed = false;
for (const [reportName, file] of entries) {
  const entry = resolve(root, `dist/${file}.d.ts`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first.`);
  const config = ExtractorConfig.prepare({
    configObjectFullPath: resolve(root, "api/api-extractor.json"),
    packageJsonFullPath: resolve(root, "package.json"),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry,
      compiler: { overrideTsconfig: { compilerOptions: { strict: true, lib: ["ES2022", "DOM", "DOM.Iterable"], types: ["node"], skipLibCheck: true, module: "esnext", moduleResolution: "bundler", jsx: "react-jsx" }, files: [entry] } },
      apiReport: {
        enabled: true,
        reportFileName: reportName,
        reportFolder: resolve(root, "api"),
        reportTempFolder: resolve(root, "node_modules/.cache/api-extractor"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "warning" } },
        extractorMessageReporting: {
          default: { logLevel: "warning" },
          // Release tags (@public/@beta) are not used: everything an entry exports is public.
          "ae-missing-release-tag": { logLevel: "none" },
          // Shared declaration chunks are an artefact of the build, not something users import.
          "ae-wrong-input-file-type": { logLevel: "none" },
          // TSDoc coverage is checked by the docs build, not here.
          "ae-undocumented": { logLevel: "none" },
          // A type from another entry (e.g. VideoAsset, exported by /core) used in this entry's signatures:
          // noted in the report, not an error.
          "ae-forgotten-export": { logLevel: "none", addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (message) => {
      if (message.text.startsWith("Analysis will use")) message.handled = true;
    },
  });
  if (!result.succeeded || (!update && result.apiReportChanged)) {
    failed = true;
    console.error(`${reportName}: the public API differs from api/${reportName}.api.md. Review the change, then run: node scripts/api-report.mjs --update`);
  }
}
process.exit(failed ? 1 : 0);
