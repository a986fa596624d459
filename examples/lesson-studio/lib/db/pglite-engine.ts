import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { SqlEngine } from "./sql-client";

/** Embedded PostgreSQL with its files in `dir`; one instance per process owns the directory. */
export async function openPgliteEngine(dir: string): Promise<SqlEngine> {
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  return {
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) })),
    exec: async (script) => {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
