import type { ParsedStatement } from "../sql/parser.js";

/**
 * What a statement leaves on its connection beyond itself:
 * `"transaction"` (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...: only
 * `db.transaction()` may control transactions), `"session"` (settings, roles,
 * prepared statements, cursors WITH HOLD, temp objects, LISTEN, advisory
 * locks: they outlive the statement and the transaction), `"own-transaction"`
 * (a multi-statement text whose every BEGIN is closed by its own COMMIT or
 * ROLLBACK, e.g. `BEGIN; ...; COMMIT`: it leaves no transaction open, so it
 * runs outside `db.transaction()`, on a connection destroyed if it fails
 * part-way), or nothing.
 */
export type SessionEffect = "transaction" | "own-transaction" | "session" | undefined;

// Texts that cannot change session state are the common case: only look at a
// parse when the text has a word that might.
const MAYBE = new RegExp(
  [
    String.raw`^\s*(begin|start|commit|end|rollback|abort|savepoint|release|prepare|set|reset|discard|deallocate|listen|unlisten|declare|lock)\b`,
    ";",
    String.raw`\btemp(orary)?\b`,
    "set_config",
    "advisory",
  ].join("|"),
  "i",
);

/** Session-level functions: their effect outlives the statement. */
const SESSION_FUNCTIONS =
  /^(set_config|pg_advisory_lock|pg_advisory_lock_shared|pg_try_advisory_lock|pg_try_advisory_lock_shared)$/i;

const SESSION_STATEMENTS = new Set([
  "DiscardStmt",
  "PrepareStmt",
  "DeallocateStmt",
  "ListenStmt",
  "UnlistenStmt",
]);

/** Whether the text could change session state (a cheap test before any parse). */
export function mayChangeSession(sql: string): boolean {
  return MAYBE.test(sql);
}

/** Whether a node tree names a temp relation or calls a session-level function. */
function touchesSession(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(touchesSession);
  if (node === null || typeof node !== "object") return false;
  const record = node as Record<string, unknown>;
  if (record.relpersistence === "t") return true;
  const call = record.FuncCall as { funcname?: { String?: { sval?: string } }[] } | undefined;
  const name = call?.funcname?.[call.funcname.length - 1]?.String?.sval;
  if (name && SESSION_FUNCTIONS.test(name)) return true;
  return Object.values(record).some(touchesSession);
}

function statementEffect(stmt: ParsedStatement): SessionEffect {
  if (stmt.type === "TransactionStmt") return "transaction";
  if (stmt.type === "VariableSetStmt") {
    const set = (stmt.node as { VariableSetStmt: { is_local?: boolean; name?: string } })
      .VariableSetStmt;
    return set.is_local || set.name === "TRANSACTION" ? undefined : "session";
  }
  if (SESSION_STATEMENTS.has(stmt.type)) return "session";
  if (stmt.type === "DeclareCursorStmt") {
    // CURSOR_OPT_HOLD (0x20): the cursor outlives the transaction.
    const options = (stmt.node as { DeclareCursorStmt: { options?: number } }).DeclareCursorStmt
      .options;
    if ((options ?? 0) & 0x20) return "session";
  }
  return touchesSession(stmt.node) ? "session" : undefined;
}

/**
 * Whether the text's transaction control is only BEGIN / START TRANSACTION
 * ... COMMIT / ROLLBACK pairs, each closed before the text ends (no
 * savepoints, no two-phase commit).
 */
function closesItsTransactions(statements: readonly ParsedStatement[]): boolean {
  if (statements.length < 2) return false;
  let open = false;
  for (const stmt of statements) {
    if (stmt.type !== "TransactionStmt") continue;
    const kind = (stmt.node as { TransactionStmt?: { kind?: string } }).TransactionStmt?.kind;
    if (!open && (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START")) open = true;
    else if (open && (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK")) open = false;
    else return false;
  }
  return !open;
}

/** The strongest effect of any statement in the text. */
export function sessionEffectOf(statements: readonly ParsedStatement[]): SessionEffect {
  let effect: SessionEffect;
  let control = false;
  for (const stmt of statements) {
    const one = statementEffect(stmt);
    if (one === "transaction") control = true;
    else effect ??= one;
  }
  if (!control) return effect;
  // Session state with a written-out transaction stays refused as transaction control.
  return effect === undefined && closesItsTransactions(statements)
    ? "own-transaction"
    : "transaction";
}
