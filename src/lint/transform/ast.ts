import type { ColumnDef, Constraint, Node, RangeVar, TypeName } from "@pgsql/types";
import { deparse } from "../../sql/parser.js";

/** A `String` node. */
export function str(sval: string): Node {
  return { String: { sval } } as Node;
}

/** A type name such as `text` or `pg_catalog.int8`. */
export function typeName(...parts: string[]): TypeName {
  return { names: parts.map(str), typemod: -1 };
}

/** A column reference `c`. */
export function columnRef(name: string): Node {
  return { ColumnRef: { fields: [str(name)] } } as Node;
}

/** A string constant `'text'`. */
export function stringConst(value: string): Node {
  return { A_Const: { sval: { sval: value } } } as Node;
}

/** Replaces a column's constraints. */
export function setColumnConstraints(col: ColumnDef, list: Constraint[]): void {
  if (list.length === 0) delete col.constraints;
  else col.constraints = list.map((c) => ({ Constraint: c }) as Node);
}

/** A deep copy of a node (rewrites never mutate their input). */
export function clone<T>(node: T): T {
  return structuredClone(node);
}

/** Renders a relation (`schema.table`) as SQL. */
export function relationSql(rel: RangeVar): string {
  const text = deparse({
    SelectStmt: {
      targetList: [{ ResTarget: { val: { A_Const: { ival: { ival: 1 } } } } }],
      fromClause: [{ RangeVar: { ...rel, alias: undefined } }],
    },
  } as Node);
  return text.replace(/^SELECT\s+1\s+FROM\s+/i, "");
}

/** A PostgreSQL identifier (at most 63 bytes, as PostgreSQL truncates). */
export function identifier(parts: string[]): string {
  return Buffer.from(parts.join("_"), "utf8")
    .subarray(0, 63)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}
