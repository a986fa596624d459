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
