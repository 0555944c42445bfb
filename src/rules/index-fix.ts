import type { IndexStmt, Node } from "@pgsql/types";
import { nodeOf, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { deparse } from "../sql/parser.js";

const FIXABLE_METHODS = new Set(["btree", "hash"]);

/**
 * The DSQL-safe form of a CREATE INDEX: ASYNC, no CONCURRENTLY, no USING,
 * no ASC/DESC, no operator classes (NULLS FIRST/LAST kept). Undefined when the
 * index uses a method (gin, gist, ...) that a B-tree cannot stand in for.
 */
export function asyncIndexFix(stmt: ParsedStatement): string | undefined {
  const original = statementBody<IndexStmt>(stmt);
  if (original.accessMethod && !FIXABLE_METHODS.has(original.accessMethod)) return undefined;
  const index = structuredClone(original);
  index.concurrent = false;
  index.accessMethod = "btree";
  delete index.tableSpace;
  for (const node of index.indexParams ?? []) {
    const elem = nodeOf<{ ordering?: string; opclass?: Node[] }>(node, "IndexElem");
    if (!elem) continue;
    elem.ordering = "SORTBY_DEFAULT";
    delete elem.opclass;
  }
  try {
    const text = deparse({ IndexStmt: index } as Node);
    return text.replace(/^CREATE (UNIQUE )?INDEX /i, (head) => `${head}ASYNC `);
  } catch {
    return undefined;
  }
}
