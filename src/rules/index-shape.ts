import type { IndexElem, IndexStmt } from "@pgsql/types";
import { nodeOf, offsetIn, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";

/** The key elements of CREATE INDEX (INCLUDE columns excluded). */
export function indexKeys(index: IndexStmt): IndexElem[] {
  const out: IndexElem[] = [];
  for (const node of index.indexParams ?? []) {
    const elem = nodeOf<IndexElem>(node, "IndexElem");
    if (elem) out.push(elem);
  }
  return out;
}

const IDENT = String.raw`(?:"(?:[^"]|"")*"|[\p{L}\p{N}_$]+)`;
const AFTER_RELATION = new RegExp(String.raw`^${IDENT}(?:\s*\.\s*${IDENT})*\s+(USING)\b`, "iu");

/**
 * Location (parser coordinates) of an explicit `USING <method>` in CREATE
 * INDEX, or undefined when there is none. The parse tree says `btree` whether
 * or not it was written, so the text after the table name is read.
 */
export function usingLocation(stmt: ParsedStatement): number | undefined {
  const index = statementBody<IndexStmt>(stmt);
  const relation = index.relation?.location;
  const at = offsetIn(stmt, relation);
  if (relation === undefined || at === undefined) return undefined;
  const match = AFTER_RELATION.exec(stmt.text.slice(at));
  if (match) return relation + match[0].length - "USING".length;
  // Unreadable text (comments in odd places): fall back on the tree.
  return index.accessMethod && index.accessMethod !== "btree" ? relation : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Location (parser coordinates) of `word` written after the key column `name`
 * in CREATE INDEX, e.g. the `DESC` of `"c" DESC`; falls back on the table
 * name's location when the text cannot be read that simply.
 */
export function keyWordLocation(
  stmt: ParsedStatement,
  name: string | undefined,
  word: string,
): number | undefined {
  const index = statementBody<IndexStmt>(stmt);
  const relation = index.relation?.location;
  const from = offsetIn(stmt, relation);
  if (relation === undefined || from === undefined || name === undefined) return relation;
  const ident = `(?:"${escapeRegExp(name.replace(/"/g, '""'))}"|${escapeRegExp(name)})`;
  const pattern = new RegExp(`[(,]\\s*${ident}\\s+(${escapeRegExp(word)})\\b`, "iu");
  const match = pattern.exec(stmt.text.slice(from));
  if (!match) return relation;
  return relation + match.index + match[0].length - (match[1]?.length ?? 0);
}
