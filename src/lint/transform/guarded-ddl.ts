import type { DefElem, DoStmt } from "@pgsql/types";
import { type ParsedStatement, parseStatements } from "../../sql/parser.js";

/**
 * The conditions old drizzle-kit releases (and hand-written migrations in the
 * same style) swallow to make DDL re-runnable: "already exists" in its forms.
 */
const SWALLOWED = new Set([
  "duplicate_object",
  "duplicate_table",
  "duplicate_column",
  "duplicate_schema",
]);

/** Statement types whose guarded form is unwrapped: the DDL drizzle-kit ever wrapped, and its kin. */
const UNWRAPPED = new Set([
  "AlterTableStmt",
  "CreateEnumStmt",
  "CreateStmt",
  "IndexStmt",
  "CreateSchemaStmt",
  "CreateSeqStmt",
]);

// DO $$ BEGIN <one statement>; EXCEPTION WHEN duplicate_object [OR ...] THEN null; END $$;
const GUARDED =
  /^\s*BEGIN\s+([\s\S]*?;)\s*EXCEPTION\s+WHEN\s+([a-z_]+(?:\s+OR\s+[a-z_]+)*)\s+THEN\s+NULL\s*;\s*END\s*;?\s*$/i;

function body(stmt: ParsedStatement): string | undefined {
  const args = (stmt.node as { DoStmt?: DoStmt }).DoStmt?.args ?? [];
  for (const arg of args) {
    const def = (arg as { DefElem?: DefElem }).DefElem;
    if (def?.defname === "language") {
      const lang = (def.arg as { String?: { sval?: string } } | undefined)?.String?.sval;
      if (lang && lang.toLowerCase() !== "plpgsql") return undefined;
    }
  }
  for (const arg of args) {
    const def = (arg as { DefElem?: DefElem }).DefElem;
    if (def?.defname === "as") return (def.arg as { String?: { sval?: string } }).String?.sval;
  }
  return undefined;
}

/**
 * The statement inside a guarded-DDL `DO` block (`DO $$ BEGIN <ddl>;
 * EXCEPTION WHEN duplicate_object THEN null; END $$`, as drizzle-kit before
 * 0.25 wrote foreign keys and enums), or `undefined` for any other statement
 * or `DO` block. Only a single DDL statement guarded by "already exists"
 * conditions qualifies: anything else in a DO block is procedural code.
 */
export function unwrapGuardedDdl(stmt: ParsedStatement): ParsedStatement | undefined {
  if (stmt.type !== "DoStmt") return undefined;
  const text = body(stmt);
  const match = text ? GUARDED.exec(text) : null;
  if (!match?.[1] || !match[2]) return undefined;
  const conditions = match[2].toLowerCase().split(/\s+or\s+/);
  if (!conditions.every((c) => SWALLOWED.has(c))) return undefined;
  let inner: ParsedStatement[];
  try {
    inner = parseStatements(match[1]);
  } catch {
    return undefined;
  }
  const only = inner[0];
  if (inner.length !== 1 || !only || !UNWRAPPED.has(only.type)) return undefined;
  return { ...only, start: stmt.start };
}
