/**
 * Printing a rewritten tree as SQL. The deparser prints CTE names bare, so
 * `WITH "MyCte" AS (...)` would come back as `mycte` and no longer match its
 * quoted references; CTE names are therefore printed quoted. The plan checks
 * that the text parses back to the tree it was printed from, so if the
 * deparser ever quotes them itself the mismatch is refused, never run.
 */

import { isObj, text } from "../sql/ast.js";
import { deparse } from "../sql/parser.js";

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteCteNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(quoteCteNames);
  if (!isObj(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = quoteCteNames(value[key]);
  const cte = isObj(out.CommonTableExpr) ? out.CommonTableExpr : undefined;
  const name = text(cte?.ctename);
  if (cte && name !== undefined) {
    out.CommonTableExpr = { ...cte, ctename: quoteIdentifier(name) };
  }
  return out;
}

/** The SQL text of a rewritten statement node. */
export function printStatement(node: unknown): string {
  return deparse(quoteCteNames(node) as never);
}
