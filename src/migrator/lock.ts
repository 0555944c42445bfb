import { randomUUID } from "node:crypto";
import { DsqlError } from "../driver/errors.js";
import type { Run, Runner, RunResult } from "./runner.js";
import { qualified, quoteLiteral } from "./sql-text.js";
import type { MigrationStatement } from "./statements.js";
import { recordSql, type TrackingTables } from "./tracking.js";

/** The statement a run was applying when it stopped (left in the lock row). */
export interface InFlight {
  migration: string;
  statement: number;
  hash: string;
}

/** Another run holds the lock and did not release it in time. */
export class MigrationLockTimeoutError extends DsqlError {
  constructor(owner: string, waitedMs: number) {
    super(
      `another migration run (${owner}) holds the migration lock; gave up after ${Math.round(waitedMs / 1000)}s`,
    );
    this.name = "MigrationLockTimeoutError";
  }
}

/** This run's lease on the lock expired and another run took it over. */
export class MigrationLockLostError extends DsqlError {
  constructor() {
    super("the migration lock was taken over by another run (lease expired); stopping");
    this.name = "MigrationLockLostError";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The migration lock, DSQL-style (no advisory locks): one row holding an
 * owner and a lease, claimed with an UPDATE in its own transaction. Two
 * runs claiming at once conflict at commit (OCC); the loser's retry sees
 * the owner and waits. A crashed run's lease expires; its in-flight
 * statement stays recorded in the row so the next run knows it may have
 * been applied.
 */
export class MigrationLock {
  readonly owner = randomUUID();
  readonly #runner: Runner;
  readonly #table: string;
  readonly #tables: TrackingTables;
  readonly #leaseMs: number;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(runner: Runner, tables: TrackingTables, leaseMs: number) {
    this.#runner = runner;
    this.#tables = tables;
    this.#table = qualified(tables.schema, tables.lock);
    this.#leaseMs = leaseMs;
  }

  #lease(): string {
    return `now() + interval '${Math.max(1, Math.round(this.#leaseMs))} milliseconds'`;
  }

  /**
   * Waits until the lock is this run's. Returns the statement a previous
   * run left in flight, if any.
   */
  async acquire(
    timeoutMs: number,
    onWait?: (owner: string) => void,
  ): Promise<InFlight | undefined> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const claim = await this.#runner.transaction(async (run) => {
        const { rows } = await run(
          `SELECT owner, (expires_at IS NULL OR expires_at < now()) AS expired, migration, statement, hash FROM ${this.#table} WHERE id = 1`,
        );
        const row = rows[0] ?? {};
        const owner = row.owner === null || row.owner === undefined ? undefined : String(row.owner);
        if (owner && owner !== this.owner && row.expired !== true) return { owner };
        await run(
          `UPDATE ${this.#table} SET owner = ${quoteLiteral(this.owner)}, expires_at = ${this.#lease()} WHERE id = 1`,
        );
        const inFlight =
          row.migration === null || row.migration === undefined
            ? undefined
            : {
                migration: String(row.migration),
                statement: Number(row.statement),
                hash: String(row.hash),
              };
        return { inFlight };
      });
      if (!("owner" in claim)) {
        this.#startHeartbeat();
        return claim.inFlight;
      }
      const waited = Date.now() - started;
      if (waited > timeoutMs) throw new MigrationLockTimeoutError(claim.owner ?? "?", waited);
      onWait?.(claim.owner ?? "?");
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2));
    }
  }

  #startHeartbeat(): void {
    const every = Math.max(250, this.#leaseMs / 3);
    this.#heartbeat = setInterval(() => {
      this.#runner
        .run(
          `UPDATE ${this.#table} SET expires_at = ${this.#lease()} WHERE id = 1 AND owner = ${quoteLiteral(this.owner)}`,
        )
        .catch(() => {});
    }, every);
    this.#heartbeat.unref();
  }

  #owned(result: RunResult): void {
    if (result.rowCount === 0) throw new MigrationLockLostError();
  }

  /** Notes `stmt` as in flight (and renews the lease) before it runs. */
  async begin(stmt: MigrationStatement): Promise<void> {
    const result = await this.#runner.run(
      `UPDATE ${this.#table} SET migration = ${quoteLiteral(stmt.migration)}, statement = ${stmt.index}, hash = ${quoteLiteral(stmt.hash)}, expires_at = ${this.#lease()} WHERE id = 1 AND owner = ${quoteLiteral(this.owner)}`,
    );
    this.#owned(result);
  }

  /** Records `stmt` as applied and clears the in-flight note, in one transaction. */
  async record(stmt: MigrationStatement): Promise<void> {
    await this.#runner.transaction((run) => this.recordIn(run, stmt));
  }

  /**
   * Records `stmt` inside the caller's transaction, so DML and its tracking
   * row commit together: a crash leaves both or neither.
   */
  async recordIn(run: Run, stmt: MigrationStatement): Promise<void> {
    this.#owned(
      await run(
        `UPDATE ${this.#table} SET migration = NULL, statement = NULL, hash = NULL, expires_at = ${this.#lease()} WHERE id = 1 AND owner = ${quoteLiteral(this.owner)}`,
      ),
    );
    await run(recordSql(this.#tables, stmt));
  }

  /** Gives the lock up (the in-flight note stays if a statement was interrupted). */
  async release(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    await this.#runner.run(
      `UPDATE ${this.#table} SET owner = NULL, expires_at = NULL WHERE id = 1 AND owner = ${quoteLiteral(this.owner)}`,
    );
  }
}
