/** What {@link migrate} reports while it runs (`onProgress`). */
export type MigrationProgress =
  | { type: "start"; migrations: number; pending: number }
  | { type: "waiting-for-lock"; owner: string }
  | {
      type: "statement-start";
      migration: string;
      statement: number;
      of: number;
      sql: string;
      done: number;
      pending: number;
    }
  | { type: "batch"; migration: string; statement: number; rows: number; totalRows: number }
  | {
      type: "statement-done";
      migration: string;
      statement: number;
      outcome: "applied" | "already-applied";
      ms: number;
      done: number;
      pending: number;
    }
  | { type: "done"; applied: number; ms: number };
