/** The one shape both engines (PGlite and node-postgres) are reduced to. */
export interface QueryResult<Row> {
  rows: Row[];
}

export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

export interface SqlEngine {
  /** Runs `fn` inside one transaction; rolls back when it throws. */
  transaction<T>(fn: (sql: SqlClient) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (a migration file). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
