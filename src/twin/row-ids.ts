import type { InsertStmt, Node, RangeVar, ResTarget, UpdateStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { deparse, parseStatements } from "../sql/parser.js";
import { qualified, quoteIdent } from "../sql/sql-text.js";

/**
 * The row ids of what one statement wrote, per table (`tableoid` as text):
 * the `ctid` of every row version it inserted or updated.
 */
export type RowIds = Map<string, string[]>;

/** An INSERT or UPDATE rewritten to also return the ids of the rows it writes. */
export interface RowIdsStatement {
  /** The statement with `RETURNING <target>.tableoid, <target>.ctid` added at the end. */
  readonly text: string;
  /** The table it writes, as written in the statement (resolved by the caller to check it is a table). */
  readonly target: string;
  /** Whether the statement had a RETURNING list of its own (else its result has no rows to keep). */
  readonly returns: boolean;
}

const RELID = "__dsql_written_relid";
const CTID = "__dsql_written_ctid";

function columnRef(path: string[], column: string, alias: string): Node {
  const fields = [...path, column].map((sval) => ({ String: { sval } }));
  const ref: ResTarget = {
    name: alias,
    val: {
      TypeCast: {
        arg: { ColumnRef: { fields } },
        typeName: { names: [{ String: { sval: "text" } }] },
      },
    },
  };
  return { ResTarget: ref };
}

function targetPath(relation: RangeVar): string[] {
  if (relation.alias?.aliasname) return [relation.alias.aliasname];
  return relation.schemaname
    ? [relation.schemaname, relation.relname as string]
    : [relation.relname as string];
}

function withRowIds(text: string): RowIdsStatement | undefined {
  const statements = parseStatements(text);
  const [stmt] = statements;
  if (statements.length !== 1 || !stmt) return undefined;
  if (stmt.type !== "InsertStmt" && stmt.type !== "UpdateStmt") return undefined;
  const body = statementBody<InsertStmt | UpdateStmt>(stmt); // a fresh parse: ours to change
  // A WITH clause may write other tables (or this one) the ids would miss;
  // the server's own scan counts those.
  if (body.withClause || !body.relation?.relname) return undefined;
  const path = targetPath(body.relation);
  const exprs = body.returningClause?.exprs ?? [];
  body.returningClause = {
    ...body.returningClause,
    exprs: [...exprs, columnRef(path, "tableoid", RELID), columnRef(path, "ctid", CTID)],
  };
  const returns = exprs.length > 0;
  const node = { [stmt.type]: body } as unknown as Node;
  const { schemaname, relname } = body.relation;
  const target = schemaname ? qualified(schemaname, relname) : quoteIdent(relname);
  return { text: deparse(node), target, returns };
}

// Per statement plan (the driver's gate keeps a bounded number of them):
// computed once, a parse and a deparse; null when RETURNING cannot name the
// rows the statement writes.
const rewritten = new WeakMap<object, RowIdsStatement | null>();

/**
 * The plan's statement (one INSERT or UPDATE without a WITH clause) with the
 * ids of the rows it writes added to its RETURNING list, or undefined for any
 * other statement. Remembered per plan.
 */
export function rowIdsStatement(plan: { readonly text: string }): RowIdsStatement | undefined {
  let found = rewritten.get(plan);
  if (found === undefined) {
    try {
      found = withRowIds(plan.text) ?? null;
    } catch {
      found = null; // the server reports its own syntax errors
    }
    rewritten.set(plan, found);
  }
  return found ?? undefined;
}

/** A result as pg returns it: rows as arrays (`rowMode: "array"`) or objects. */
export interface ResultRows {
  rows: unknown[];
  fields?: unknown[];
}

/**
 * Takes the two id columns {@link rowIdsStatement} added off `result` (in
 * place), so the caller sees what the statement as written returns, and
 * returns the ids per table.
 */
export function takeRowIds(result: ResultRows, statement: RowIdsStatement): RowIds {
  const ids: RowIds = new Map();
  const add = (relid: unknown, ctid: unknown) => {
    const key = String(relid);
    let list = ids.get(key);
    if (!list) {
      list = [];
      ids.set(key, list);
    }
    list.push(String(ctid));
  };
  for (const row of result.rows) {
    if (Array.isArray(row)) {
      const ctid = row.pop();
      add(row.pop(), ctid);
    } else {
      const named = row as Record<string, unknown>;
      add(named[RELID], named[CTID]);
      delete named[RELID];
      delete named[CTID];
    }
  }
  if (result.fields) result.fields.splice(-2, 2);
  if (!statement.returns) result.rows = [];
  return ids;
}
