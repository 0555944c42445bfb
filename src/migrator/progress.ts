import type { LockHolder } from "../errors.js";

/** What {@link migrate} reports while it runs (`onProgress`). */
export type MigrationProgress =
  | { type: "start"; migrations: number; pending: number }
  | {
      /** Another run holds the lock: who, and when its lease ends (times from the database's clock). */
      type: "waiting-for-lock";
      /** The holder's run id. */
      owner: string;
      holder: LockHolder;
      /** Milliseconds until the lease ends and this run takes the lock over. */
      expiresInMs: number;
      /** Milliseconds since the holder last renewed its lease (undefined: unknown). */
      renewedMsAgo: number | undefined;
    }
  | { type: "lock-broken"; holder: LockHolder }
  | { type: "warning"; message: string }
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
