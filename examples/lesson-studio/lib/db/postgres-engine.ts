import pg from "pg";
import type { SqlClient, SqlEngine } from "./sql-client";

function clientOf(client: pg.PoolClient): SqlClient {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await client.query(text, params);
      return { rows: result.rows as Row[] };
    },
  };
}

/** A real PostgreSQL (or Supabase) through a small pool. */
export function openPostgresEngine(connectionString: string): SqlEngine {
  const pool = new pg.Pool({ connectionString, max: 5 });
  // An idle connection the server drops (restart, failover) is reported here; unhandled, it would crash the
  // process. The pool replaces it on the next query.
  pool.on("error", (error) => console.error(`lesson-studio: idle database connection lost: ${error.message}`));
  return {
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await fn(clientOf(client));
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}
