import { type SQL, sql } from "drizzle-orm";
import {
  describeHolder,
  type LockState,
  MigrationAbortedError,
  MigrationLockHeldError,
  MigrationLockLostError,
  MigrationLockTimeoutError,
} from "../errors.js";
import { decodeHolder, encodeHolder, heartbeatMs, holderAlive, newHolder } from "./lock-holder.js";
import type { Run, Runner, RunResult } from "./runner.js";
import type { MigrationStatement } from "./statements.js";
import { recordSql, type TrackingTables, trackingName } from "./tracking.js";

/** The statement a run was applying when it stopped (left in the lock row). */
export interface InFlight {
  migration: string;
  statement: number;
  hash: string;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", finish);
      done();
    }
    signal?.addEventListener("abort", finish, { once: true });
  });
}

/** Throws {@link MigrationAbortedError} when `signal` is aborted. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MigrationAbortedError(signal.reason);
}

/** What {@link MigrationLock.acquire} does while another run holds the lock. */
export interface AcquireOptions {
  timeoutMs: number;
  /** Called on every look at a held lock. */
  onWait?: (state: LockState) => void;
  /** Take over a lock whose holder stopped renewing it; refuse (throw) if the holder is alive. */
  breakStale?: boolean;
  /** Called when a stale lock was broken. */
  onBroken?: (state: LockState) => void;
  signal?: AbortSignal;
}

type Claim = { held: LockState } | { inFlight: InFlight | undefined; broken?: LockState };

/**
 * The migration lock, DSQL-style (no advisory locks): one row holding an
 * owner and a lease, claimed with an UPDATE in its own transaction. Two
 * runs claiming at once conflict at commit (OCC); the loser's retry sees
 * the owner and waits. The owner records who holds the lock (host, pid,
 * since when, lease), so a waiting run can say so. A crashed run's lease
 * expires, or an explicit break takes over a lock whose holder stopped
 * renewing it; its in-flight statement stays recorded in the row so the
 * next run knows it may have been applied.
 */
export class MigrationLock {
  readonly #owner: string;
  readonly #runner: Runner;
  readonly #table: SQL;
  readonly #tables: TrackingTables;
  readonly #leaseMs: number;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(runner: Runner, tables: TrackingTables, leaseMs: number) {
    this.#runner = runner;
    this.#tables = tables;
    this.#table = trackingName(tables, "lock");
    this.#leaseMs = Math.max(1, Math.round(leaseMs));
    this.#owner = encodeHolder(newHolder(this.#leaseMs));
  }

  #lease(): SQL {
    return sql`now() + ${`${this.#leaseMs} milliseconds`}::interval`;
  }

  #mine(): SQL {
    return sql`owner = ${this.#owner}`;
  }

  /**
   * Waits until the lock is this run's. Returns the statement a previous
   * run left in flight, if any.
   */
  async acquire(options: AcquireOptions): Promise<InFlight | undefined> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      checkAborted(options.signal);
      const claim = await this.#runner.transaction(async (run): Promise<Claim> => {
        const { rows } = await run(
          sql`SELECT owner, (expires_at IS NULL OR expires_at < now()) AS expired, extract(epoch FROM (expires_at - now())) * 1000 AS expires_in_ms, migration, statement, hash FROM ${this.#table} WHERE id = 1`,
        );
        const row = rows[0] ?? {};
        const owner = row.owner === null || row.owner === undefined ? undefined : String(row.owner);
        let broken: LockState | undefined;
        if (owner && owner !== this.#owner && row.expired !== true) {
          const state = lockState(owner, Number(row.expires_in_ms));
          if (!options.breakStale || holderAlive(state)) return { held: state };
          broken = state;
        }
        // On a stale holder this UPDATE conflicts with any renewal it made since the read.
        await run(
          sql`UPDATE ${this.#table} SET owner = ${this.#owner}, expires_at = ${this.#lease()} WHERE id = 1`,
        );
        const inFlight =
          row.migration === null || row.migration === undefined
            ? undefined
            : {
                migration: String(row.migration),
                statement: Number(row.statement),
                hash: String(row.hash),
              };
        return { inFlight, broken };
      });
      if (!("held" in claim)) {
        if (claim.broken) options.onBroken?.(claim.broken);
        this.#startHeartbeat();
        return claim.inFlight;
      }
      if (options.breakStale) throw new MigrationLockHeldError(claim.held);
      const waited = Date.now() - started;
      if (waited > options.timeoutMs) {
        throw new MigrationLockTimeoutError(describeHolder(claim.held.holder), waited);
      }
      options.onWait?.(claim.held);
      await pause(
        Math.min(1000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2),
        options.signal,
      );
    }
  }

  #startHeartbeat(): void {
    this.#heartbeat = setInterval(() => {
      this.#runner
        .run(
          sql`UPDATE ${this.#table} SET expires_at = ${this.#lease()} WHERE id = 1 AND ${this.#mine()}`,
        )
        .catch(() => {});
    }, heartbeatMs(this.#leaseMs));
    this.#heartbeat.unref();
  }

  #owned(result: RunResult): void {
    if (result.rowCount === 0) throw new MigrationLockLostError();
  }

  /** Notes `stmt` as in flight (and renews the lease) before it runs. */
  async begin(stmt: MigrationStatement): Promise<void> {
    const result = await this.#runner.run(
      sql`UPDATE ${this.#table} SET migration = ${stmt.migration}, statement = ${stmt.index}, hash = ${stmt.hash}, expires_at = ${this.#lease()} WHERE id = 1 AND ${this.#mine()}`,
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
        sql`UPDATE ${this.#table} SET migration = NULL, statement = NULL, hash = NULL, expires_at = ${this.#lease()} WHERE id = 1 AND ${this.#mine()}`,
      ),
    );
    await run(recordSql(this.#tables, stmt));
  }

  /** {@link release}, tried three times; returns the last error instead of throwing. */
  async releaseOrError(): Promise<unknown> {
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.release();
        return undefined;
      } catch (error) {
        last = error;
        await pause(100 * 2 ** attempt, undefined);
      }
    }
    return last;
  }

  /** Gives the lock up (the in-flight note stays if a statement was interrupted). */
  async release(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    await this.#runner.run(
      sql`UPDATE ${this.#table} SET owner = NULL, expires_at = NULL WHERE id = 1 AND ${this.#mine()}`,
    );
  }
}

function lockState(owner: string, expiresInMs: number): LockState {
  const holder = decodeHolder(owner);
  const expires = Number.isFinite(expiresInMs) ? expiresInMs : 0;
  return {
    holder,
    expiresInMs: expires,
    renewedMsAgo: holder.leaseMs === undefined ? undefined : Math.max(0, holder.leaseMs - expires),
  };
}
