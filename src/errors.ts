/**
 * Every error class drizzle-dsql throws, the helpers that read an error's
 * `.cause` chain, and {@link errorForRule}. A leaf: it imports nothing of
 * this library, so every folder can depend on it.
 */
import { DrizzleError, DrizzleQueryError } from "drizzle-orm/errors";

/** Options every drizzle-dsql error accepts. */
export interface DsqlErrorOptions {
  /** The error this one explains; kept on `.cause`. */
  cause?: unknown;
  /** The SQLSTATE, where there is one. */
  code?: string;
}

/**
 * Base class of every error drizzle-dsql throws. It is a `DrizzleError`, keeps
 * the original error on `.cause`, and carries the SQLSTATE on `.code` where
 * there is one.
 *
 * @example
 * ```ts
 * try { await db.execute(sql`truncate orders`); }
 * catch (e) { if (e instanceof DsqlError) console.log(e.code, e.message); }
 * ```
 */
export class DsqlError extends DrizzleError {
  /** The SQLSTATE of the failure, when there is one. */
  readonly code: string | undefined;

  constructor(message: string, options: DsqlErrorOptions = {}) {
    super({ message, cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
  }
}

/**
 * An optimistic-concurrency conflict (SQLSTATE 40001) surfaced because retry
 * was off. `.dsqlCode` is `OC000` (data conflict) or `OC001` (schema changed)
 * when the server's message names one.
 */
export class DsqlConflictError extends DsqlError {
  /** `OC000`, `OC001`, or undefined when the message carries neither. */
  readonly dsqlCode: "OC000" | "OC001" | undefined;

  constructor(message: string, options: DsqlErrorOptions & { dsqlCode?: "OC000" | "OC001" }) {
    super(message, { ...options, code: "40001" });
    this.dsqlCode = options.dsqlCode;
  }
}

/** Still conflicting after `maxAttempts` attempts; the last error is on `.cause`. */
export class DsqlRetryExhaustedError extends DsqlError {
  /** How many times the work was attempted. */
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(`OCC conflict persisted after ${attempts} attempts; giving up`, {
      cause,
      code: "40001",
    });
    this.attempts = attempts;
  }
}

/**
 * DSQL would reject (or rejected) the statement: `.rule` names the rule,
 * `.code` the SQLSTATE DSQL uses (0A000, 42704 for serial, ...).
 */
export class DsqlUnsupportedError extends DsqlError {
  /** The id of the DSQL rule that refused the statement. */
  readonly rule: string;

  constructor(message: string, options: DsqlErrorOptions & { rule: string }) {
    super(message, { ...options, code: options.code ?? "0A000" });
    this.rule = options.rule;
  }
}

/** A DSQL limit was crossed (54000 transaction limits, 54011 index keys). */
export class DsqlLimitError extends DsqlError {
  /** The id of the limit rule, e.g. `transaction-row-limit`. */
  readonly rule: string;

  constructor(message: string, options: DsqlErrorOptions & { rule: string }) {
    super(message, { ...options, code: options.code ?? "54000" });
    this.rule = options.rule;
  }
}

/** The tenant scope refused a statement before it reached the database. */
export class TenantScopeError extends DsqlError {}

/** A TEXT column holds text that its column helper cannot decode. */
export class DsqlDecodeError extends DsqlError {
  /** The column whose stored text did not decode. */
  readonly column: string;

  constructor(message: string, options: DsqlErrorOptions & { column: string }) {
    super(message, options);
    this.column = options.column;
  }
}

/**
 * A connection failed or was lost: the server ended it (57P01), is starting
 * up (57P03), is out of connections (53300, 53400), the socket broke
 * (`ECONNRESET`, ...) or did not open in time. `.code` is the SQLSTATE or the
 * errno; pg's own "Connection terminated" messages get 08006, its connect
 * timeout 08001. Only failures that happened before anything was sent are
 * retried; one that surfaces may have run its statement (outside a
 * transaction) or, in a transaction, rolled the transaction back.
 *
 * @example
 * ```ts
 * try { await db.update(orders).set({ status: "paid" }).where(eq(orders.id, id)); }
 * catch (e) { if (e instanceof DsqlConnectionError) console.log(e.code); }
 * ```
 */
export class DsqlConnectionError extends DsqlError {}

/**
 * The reply to COMMIT was lost: the transaction may or may not have
 * committed, so it is never retried. Check whether its writes are there
 * (by a key the transaction wrote) before running it again.
 *
 * @example
 * ```ts
 * try { await db.transaction(async (tx) => { await tx.insert(payments).values(p); }); }
 * catch (e) {
 *   if (e instanceof DsqlCommitUnknownError) {
 *     const [done] = await db.select().from(payments).where(eq(payments.id, p.id));
 *     if (!done) await retryPayment(p);
 *   }
 * }
 * ```
 */
export class DsqlCommitUnknownError extends DsqlError {}

/**
 * A value a TEXT column helper cannot store losslessly (NaN, a Date, a
 * BigInt, `undefined` in an array, a csv element the delimiter would split).
 * Nothing is sent: the value is refused while the statement is built.
 *
 * @example
 * ```ts
 * try { await db.insert(settings).values({ prefs: { at: new Date() } }); }
 * catch (e) { if (e instanceof DsqlEncodeError) console.log(e.column); } // "settings.prefs"
 * ```
 */
export class DsqlEncodeError extends DsqlError {
  /** The column, as `table.column`, that refused the value. */
  readonly column: string;

  constructor(message: string, options: DsqlErrorOptions & { column: string }) {
    super(message, options);
    this.column = options.column;
  }
}

/**
 * A statement would leave state on a pooled connection that the next caller
 * would inherit: transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`,
 * `SAVEPOINT`) run through `execute`, or session settings (`SET`, `RESET`,
 * `SET ROLE`, `DISCARD`, `PREPARE`, `LISTEN`, temp tables, `set_config`)
 * outside `db.transaction()`. `.statement` is the refused statement's kind.
 *
 * @example
 * ```ts
 * await db.execute(sql`set search_path to app`);   // throws DsqlSessionStateError
 * await db.transaction(async (tx) => {
 *   await tx.execute(sql`set local search_path to app`); // fine: ends with the transaction
 * });
 * ```
 */
export class DsqlSessionStateError extends DsqlError {}

// ---------------------------------------------------------------------------
// The cause chain

/** Walks `error` and its `.cause` chain (cycle-safe), outermost first. */
export function* causeChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The first SQLSTATE found on the error or its `.cause` chain. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The deepest explanation on an error's `.cause` chain. */
export interface RootCause {
  /** The root error's own message (`connect ECONNREFUSED 127.0.0.1:1`). */
  message: string;
  /** Its errno-style code (`ECONNREFUSED`, `ENOTFOUND`, `DEPTH_ZERO_SELF_SIGNED_CERT`) or SQLSTATE (`28P01`). */
  code: string | undefined;
  /** What the code means for a user, when it is a known connection failure. */
  hint: string | undefined;
}

const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

const ERRNO_HINTS: Record<string, string> = {
  ECONNREFUSED: "nothing accepts connections at that host and port: is the database running?",
  ENOTFOUND: "the host name does not resolve: check the host in the URL",
  EAI_AGAIN:
    "the host name could not be resolved (DNS unavailable): check the host and the network",
  ETIMEDOUT: "the connection timed out: check the host, port and firewall",
  EHOSTUNREACH: "the host is unreachable: check the host and the network",
  ENETUNREACH: "the network is unreachable",
  ECONNRESET: "the server closed the connection",
};

const SQLSTATE_HINTS: Record<string, string> = {
  "28P01": "password authentication failed: check the user and password (or the IAM token)",
  "28000": "the server refused the role: check the user name and the server's access rules",
  "3D000": "the database does not exist: check the database name in the URL",
  "08001": "the server refused the connection",
  "08006": "the connection failed",
};

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

// Node's happy-eyeballs connect fails with an AggregateError whose own message is empty.
function messageOf(error: object): string {
  const own = error instanceof Error ? error.message : String(error);
  const inner = (error as { errors?: unknown }).errors;
  if (own !== "" || !Array.isArray(inner)) return own;
  return inner.map((e) => (e instanceof Error ? e.message : String(e))).join("; ");
}

function hintFor(code: string | undefined, message: string): string | undefined {
  if (code && ERRNO_HINTS[code]) return ERRNO_HINTS[code];
  if (code && SQLSTATE_HINTS[code]) return SQLSTATE_HINTS[code];
  if (
    (code && /CERT|^ERR_TLS|^ERR_SSL|SELF_SIGNED/.test(code)) ||
    /\b(SSL|TLS)\b|certificate/i.test(message)
  ) {
    return "the TLS handshake failed: check sslmode and the server's certificate";
  }
  if (
    /DSQL token|credential|ExpiredToken|security token|AccessDenied|not authorized/i.test(message)
  ) {
    return "no IAM token could be signed or it was refused: check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...), the region and the role's dsql:DbConnect permission";
  }
  return undefined;
}

/**
 * Finds what really went wrong beneath wrappers such as drizzle's
 * `Failed query: ...`: the deepest error on the `.cause` chain that carries
 * an errno code or SQLSTATE (else the deepest error), with a hint for known
 * connection, DNS, TLS, authentication and IAM failures.
 *
 * @example
 * ```ts
 * rootCause(error); // { message: "connect ECONNREFUSED 127.0.0.1:1", code: "ECONNREFUSED", hint: "..." }
 * ```
 */
export function rootCause(error: unknown): RootCause {
  let root: { message: string; code: string | undefined } | undefined;
  let coded: { message: string; code: string | undefined } | undefined;
  for (const e of causeChain(error)) {
    if (typeof e !== "object" || e === null) {
      root = { message: String(e), code: undefined };
      continue;
    }
    const message = messageOf(e);
    const code = codeOf(e);
    root = { message, code };
    if (code && (SQLSTATE.test(code) || /^[A-Z][A-Z0-9_]+$/.test(code))) coded = root;
  }
  const found = coded ?? root ?? { message: String(error), code: undefined };
  return { ...found, hint: hintFor(found.code, found.message) };
}

/**
 * The root cause as one line, `connect ECONNREFUSED 127.0.0.1:1 [ECONNREFUSED]:
 * nothing accepts connections ...`, for messages and the terminal.
 */
export function describeCause(error: unknown): string {
  const { message, code, hint } = rootCause(error);
  const tagged = code && !message.includes(code) ? `${message} [${code}]` : message;
  return hint ? `${tagged} (${hint})` : tagged;
}

/**
 * The error's own message, followed by its root cause when the message does
 * not already carry it (`Failed query: ...` gains `cause: connect ECONNREFUSED ...`).
 */
export function messageWithCause(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const root = rootCause(error);
  return own.includes(root.message) ? own : `${own}\n  cause: ${describeCause(error)}`;
}

// ---------------------------------------------------------------------------
// DSQL rules

/** What {@link errorForRule} needs of a DSQL rule's refusal (a rule finding has this shape). */
export interface RuleRefusal {
  /** The rule's id, e.g. `no-serial`. */
  rule: string;
  /** What is wrong and what to write instead. */
  message: string;
  /** The SQLSTATE DSQL answers with. */
  sqlstate: string;
  /** True for limits (`DsqlLimitError`), false for unsupported features (`DsqlUnsupportedError`). */
  limit: boolean;
}

/**
 * The typed error for a DSQL rule's refusal: {@link DsqlLimitError} for a
 * limit, else {@link DsqlUnsupportedError}, with the rule's id and SQLSTATE.
 * `detail` (what was seen) is added to the message in parentheses.
 */
export function errorForRule(
  rule: RuleRefusal,
  detail?: string,
): DsqlUnsupportedError | DsqlLimitError {
  const message = detail ? `${rule.message} (${detail})` : rule.message;
  const options = { rule: rule.rule, code: rule.sqlstate };
  return rule.limit
    ? new DsqlLimitError(message, options)
    : new DsqlUnsupportedError(message, options);
}

/** Text that PostgreSQL's parser could not read. */
export class SqlSyntaxError extends Error {
  /** 0-based offset into the parsed text, when the parser gave one. */
  readonly position: number | undefined;

  constructor(message: string, position: number | undefined) {
    super(message);
    this.name = "SqlSyntaxError";
    this.position = position;
  }
}

// ---------------------------------------------------------------------------
// Bulk helpers

/**
 * A primary-key value as the database returned it: one entry per key
 * column, in key order (a composite key has several). Plain JSON values, so
 * a resume state can be saved and loaded again.
 */
export type Key = readonly unknown[];

/**
 * The primary keys `k` with `after < k <= through`, compared as the database
 * compares them (row comparison for a composite key). `after: null` starts
 * at the first key.
 */
export interface KeyRange {
  after: Key | null;
  through: Key;
}

/**
 * Where {@link deleteInBatches} / {@link updateInBatches} stopped, from
 * `DsqlBatchError.resume`: every matching key up to and including `after` is
 * done (all of them when `after` is null and `done` is empty, none of them
 * otherwise), and so is every key in `done`. Pass it back as the `resume`
 * option to finish the work without touching a done row again.
 */
export interface BatchResume {
  after: Key | null;
  done: KeyRange[];
}

/** A half-open range of input row indexes, `[from, to)`. */
export interface RowRange {
  from: number;
  to: number;
}

/** Merges ranges into sorted, non-overlapping, non-adjacent ones. */
export function mergeRanges(ranges: readonly RowRange[]): RowRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: RowRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else out.push({ ...range });
  }
  return out;
}

/** The complement of `committed` within `[0, read)`. */
export function missingRanges(committed: readonly RowRange[], read: number): RowRange[] {
  const out: RowRange[] = [];
  let at = 0;
  for (const range of mergeRanges(committed)) {
    if (range.from > at) out.push({ from: at, to: range.from });
    at = Math.max(at, range.to);
  }
  if (at < read) out.push({ from: at, to: read });
  return out;
}

const MAX_REASON = 300;

/**
 * The failure in a line: the first drizzle-dsql error's message, else the
 * server's (with its SQLSTATE), never Drizzle's "Failed query" wrapper that
 * repeats the whole statement and its parameters.
 */
export function failureReason(error: unknown): string {
  let reason: string | undefined;
  for (const e of causeChain(error)) {
    if (e instanceof DrizzleQueryError) continue;
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? e);
    if (e instanceof DsqlError) {
      reason = message;
      break;
    }
    if (typeof code === "string") {
      reason = `${message} (${code})`;
      break;
    }
    reason ??= message;
  }
  reason ??= String(error);
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}...` : reason;
}

/** What a bulk helper that stopped part-way knows. */
export interface BatchReport {
  /** Input rows committed (batchInsert; empty for the key-paged helpers). */
  committed: RowRange[];
  /** Input rows whose COMMIT reply was lost (batchInsert; `DsqlCommitUnknownError`). */
  inDoubt?: RowRange[];
  /** Input rows read (batchInsert). */
  rowsRead: number;
  aborted: boolean;
  cause?: unknown;
  /** The helper that stopped, e.g. `deleteInBatches`. */
  helper?: string;
  /** The table it worked on. */
  table?: string;
  /** Rows changed and committed (deleteInBatches / updateInBatches). */
  changed?: number;
  /** Primary-key ranges done (deleteInBatches / updateInBatches). */
  doneKeys?: KeyRange[];
  /** Primary-key ranges whose COMMIT reply was lost (deleteInBatches / updateInBatches). */
  inDoubtKeys?: KeyRange[];
  /** Where to resume (deleteInBatches / updateInBatches). */
  resume?: BatchResume;
}

/**
 * A bulk helper that stopped part-way (an error, or its `signal` aborted).
 * The message is short (helper, table, reason, what is done); details are on
 * properties, the first failure on `.cause`. For `batchInsert` it says
 * exactly which input rows were committed: rows in `committed` are in the
 * database; rows in `notCommitted` and every row from `rowsRead` on are not;
 * rows in `inDoubt` belong to a transaction whose COMMIT reply was lost
 * (`DsqlCommitUnknownError`): check for them before loading them again.
 * For `deleteInBatches` / `updateInBatches`, `doneKeys` lists the
 * primary-key ranges done, `inDoubtKeys` those whose COMMIT reply was lost,
 * and `resume` continues from there (skipping both).
 *
 * @example
 * ```ts
 * try { await deleteInBatches(db, orders, lt(orders.createdAt, cutoff)); }
 * catch (e) {
 *   if (!(e instanceof DsqlBatchError)) throw e;
 *   console.log(e.reason, e.doneKeys);
 *   await deleteInBatches(db, orders, lt(orders.createdAt, cutoff), { resume: e.resume });
 * }
 * ```
 */
export class DsqlBatchError extends DsqlError {
  /** Row ranges committed, by input index. */
  readonly committed: RowRange[];
  /** Row ranges read from the input but not committed. */
  readonly notCommitted: RowRange[];
  /** Row ranges whose transaction may or may not have committed (the reply to COMMIT was lost). */
  readonly inDoubt: RowRange[];
  /** How many input rows were read; rows from this index on were never attempted. */
  readonly rowsRead: number;
  /** Rows committed in all. */
  readonly inserted: number;
  /** Whether the load stopped because its signal aborted. */
  readonly aborted: boolean;
  /** The helper that stopped (`batchInsert`, `deleteInBatches`, `updateInBatches`). */
  readonly helper: string | undefined;
  /** The table it worked on. */
  readonly table: string | undefined;
  /** The first failure in a line (undefined on abort); the full error is on `.cause`. */
  readonly reason: string | undefined;
  /** deleteInBatches / updateInBatches: rows changed and committed. */
  readonly changed: number;
  /** deleteInBatches / updateInBatches: primary-key ranges whose matching rows are all done. */
  readonly doneKeys: KeyRange[];
  /**
   * deleteInBatches / updateInBatches: primary-key ranges whose transaction
   * may or may not have committed (the reply to COMMIT was lost). They are
   * neither in `doneKeys` nor redone by `resume`: check their rows first.
   */
  readonly inDoubtKeys: KeyRange[];
  /**
   * deleteInBatches / updateInBatches: pass as the `resume` option to finish
   * the work; done ranges are skipped, so no row is changed twice.
   */
  readonly resume: BatchResume | undefined;

  constructor(message: string, report: BatchReport) {
    super(message, {
      cause: report.cause,
      code: (report.cause as { code?: string } | undefined)?.code,
    });
    this.committed = mergeRanges(report.committed);
    this.rowsRead = report.rowsRead;
    this.inDoubt = mergeRanges(report.inDoubt ?? []);
    this.notCommitted = missingRanges([...this.committed, ...this.inDoubt], report.rowsRead);
    this.inserted = this.committed.reduce((n, r) => n + r.to - r.from, 0);
    this.aborted = report.aborted;
    this.helper = report.helper;
    this.table = report.table;
    this.reason = report.aborted ? undefined : failureReason(report.cause);
    this.changed = report.changed ?? 0;
    this.doneKeys = report.doneKeys ?? [];
    this.inDoubtKeys = report.inDoubtKeys ?? [];
    this.resume = report.resume;
  }
}

// ---------------------------------------------------------------------------
// CLI and drizzle config

/** A CLI invocation that cannot run as given (unknown flag, missing value...); exit code 2. */
export class CliUsageError extends DsqlError {}

/**
 * A drizzle config that cannot be found, evaluated, or used: the message
 * names the file and the field.
 *
 * @example
 * ```ts
 * try {
 *   await loadDrizzleConfig(process.cwd());
 * } catch (error) {
 *   if (error instanceof DrizzleConfigError) console.error(error.path, error.message);
 * }
 * ```
 */
export class DrizzleConfigError extends DsqlError {
  /** The config file, absolute; undefined when none was found. */
  readonly path: string | undefined;

  constructor(message: string, path: string | undefined, cause?: unknown) {
    super(message, { cause });
    this.path = path;
  }
}

// ---------------------------------------------------------------------------
// The migrator

/**
 * Base class of every error the migrator throws (`MigrationChangedError`,
 * `MigrationLockTimeoutError`, ...): catch it to tell a migration failure
 * from any other.
 *
 * @example
 * ```ts
 * try { await migrate(db, { migrationsFolder: "./drizzle" }); }
 * catch (e) { if (e instanceof MigrationError) console.error(e.name, e.message); }
 * ```
 */
export class MigrationError extends DsqlError {}

/** An applied statement's text differs from the migration file's (or it is gone from the file). */
export class MigrationChangedError extends MigrationError {
  /** The statements whose recorded hash differs from the file. */
  readonly changed: { migration: string; statement: number }[];

  constructor(changed: { migration: string; statement: number; reason: string }[]) {
    const lines = changed.map(
      (c) => `  migration ${c.migration}, statement ${c.statement + 1}: ${c.reason}`,
    );
    super(
      `applied migration statements no longer match their files; write a new migration instead of editing an applied one:\n${lines.join("\n")}`,
    );
    this.changed = changed.map(({ migration, statement }) => ({ migration, statement }));
  }
}

/** A recorded migration whose statements now sit under another tag in the journal. */
export interface RenamedMigration {
  /** The tag it was applied as. */
  from: string;
  /** The tag the journal gives it now. */
  to: string;
  /** sha256 of its first statement. */
  hash: string;
}

/**
 * Applied migrations appear under new tags in the journal: applying them
 * again under the new tag would run their statements twice. Nothing was applied.
 */
export class MigrationRenamedError extends MigrationError {
  /** Each renamed migration: the tag it was applied as, its tag now, its first statement's hash. */
  readonly renamed: RenamedMigration[];

  constructor(renamed: RenamedMigration[]) {
    const lines = renamed.map(
      (r) =>
        `  ${r.to} was applied as ${r.from} (same statements, first sha256 ${r.hash.slice(0, 12)})`,
    );
    super(
      `applied migrations were renamed in the journal; nothing was applied (rename them back, or give a migration meant to run again new statements):\n${lines.join("\n")}`,
    );
    this.renamed = renamed;
  }
}

/**
 * Every statement was applied but the lock could not be released: the next
 * run would wait for the lease to end. `.applied` is the statements this run
 * applied; the release failure is on `.cause`.
 */
export class MigrationLockReleaseError extends MigrationError {
  /** How many statements this run applied. */
  readonly applied: number;

  constructor(applied: number, leaseMs: number, cause: unknown) {
    super(
      `applied ${applied} statement(s), but the migration lock could not be released: ${describeCause(cause)}. The next run waits up to ${Math.round(leaseMs / 1000)}s for the lease to end, or takes it over with breakStaleLock / \`drizzle-dsql migrate --break-stale-lock\``,
      { cause, code: sqlStateOf(cause) },
    );
    this.applied = applied;
  }
}

/** Thrown when a migration file or the journal cannot be applied as written. */
export class MigrationFileError extends MigrationError {
  constructor(message: string) {
    super(message);
  }
}

/**
 * The migrator's own queries (tracking table, lock) failed: the database is
 * unreachable, refused the login, or refused the bookkeeping. The message
 * names the root cause from the `.cause` chain (`ECONNREFUSED`, `ENOTFOUND`,
 * a TLS or IAM failure, SQLSTATE `28P01`, ...), not only the query.
 */
export class MigrationDatabaseError extends MigrationError {
  constructor(doing: string, cause: unknown) {
    super(`cannot ${doing}: ${describeCause(cause)}`, { cause, code: sqlStateOf(cause) });
  }
}

/** A statement failed while being applied; names the migration and statement. */
export class MigrationStatementError extends MigrationError {
  /** The migration's tag. */
  readonly migration: string;
  /** The statement's 0-based index in the migration. */
  readonly statement: number;

  constructor(migration: string, statement: number, sql: string, cause: unknown) {
    super(
      `migration ${migration}, statement ${statement + 1} failed: ${messageWithCause(cause)}\n  ${sql}`,
      { cause, code: sqlStateOf(cause) },
    );
    this.migration = migration;
    this.statement = statement;
  }
}

/** An ASYNC job (index build, constraint validation) failed. */
export class MigrationJobError extends MigrationError {
  constructor(
    stmt: { migration: string; index: number; sql: string },
    jobId: string,
    cause: unknown,
  ) {
    super(
      `migration ${stmt.migration}, statement ${stmt.index + 1}: DSQL job ${jobId} failed: ${cause instanceof Error ? cause.message : String(cause)}\n  ${stmt.sql}`,
      { cause },
    );
  }
}

/** Another run holds the lock and did not release it in time. */
export class MigrationLockTimeoutError extends MigrationError {
  constructor(holder: string, waitedMs: number) {
    super(
      `another migration run (${holder}) holds the migration lock; gave up after ${Math.round(waitedMs / 1000)}s`,
    );
  }
}

/** This run's lease on the lock expired and another run took it over. */
export class MigrationLockLostError extends MigrationError {
  constructor() {
    super("the migration lock was taken over by another run (lease expired); stopping");
  }
}

/** Who holds the migration lock, as the holder wrote it into the lock row. */
export interface LockHolder {
  /** The run's id (unique per `migrate()` call). */
  id: string;
  /** Host name of the holding process (undefined for rows written by older versions). */
  host: string | undefined;
  pid: number | undefined;
  /** When the holder took the lock (ISO time, the holder's clock). */
  since: string | undefined;
  /** The holder's lease; it renews the lease a few times per lease. */
  leaseMs: number | undefined;
}

/** The lock row as a waiting run sees it (times from the database's clock). */
export interface LockState {
  holder: LockHolder;
  /** Milliseconds until the holder's lease ends (negative: ended). */
  expiresInMs: number;
  /** Milliseconds since the holder last renewed its lease, when its lease is known. */
  renewedMsAgo: number | undefined;
}

/** `host pid 123 (run 3f2a9c1e), since 2026-12-02T06:40:01.000Z`, as far as known. */
export function describeHolder(holder: LockHolder): string {
  const where = holder.host ? `${holder.host} pid ${holder.pid ?? "?"}` : "a run";
  const since = holder.since ? `, since ${holder.since}` : "";
  return `${where} (run ${holder.id.slice(0, 8)})${since}`;
}

/**
 * `breakStaleLock` found the lock's holder alive (it renewed its lease
 * recently), so the lock was not broken.
 */
export class MigrationLockHeldError extends MigrationError {
  /** The live holder. */
  readonly holder: LockHolder;

  constructor(state: LockState) {
    const renewed =
      state.renewedMsAgo === undefined
        ? "its lease has not ended"
        : `it renewed its lease ${Math.round(state.renewedMsAgo / 1000)}s ago`;
    super(
      `not breaking the migration lock: its holder, ${describeHolder(state.holder)}, is alive (${renewed}); wait for it to finish or stop it first`,
    );
    this.holder = state.holder;
  }
}

/** The run stopped because its `signal` was aborted (Ctrl-C); the lock was released. */
export class MigrationAbortedError extends MigrationError {
  constructor(reason: unknown) {
    super(
      `migration stopped (${reason instanceof Error ? reason.message : String(reason ?? "aborted")}); run it again to resume`,
      { cause: reason },
    );
  }
}
