/**
 * The typed AST toolbox: small, pure helpers over PostgreSQL parse trees
 * (pgsql-parser JSON, typed with `@pgsql/types`) shared by rules, tenant and lint.
 * Nothing here mutates its input.
 */
import type { ColumnDef, Constraint, DefElem, Node, RangeVar, TypeName } from "@pgsql/types";
import type { ParsedStatement } from "./parser.js";

/** A parse-tree object: either a wrapped node `{ Type: {...} }` or a bare node body. */
export type Obj = { readonly [key: string]: unknown };

/** Whether `value` is a non-array object. */
export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Splits a wrapped node `{ Type: body }` into `[Type, body]`; undefined for
 * anything else (strict: one capitalised key holding an object). For a node
 * known to be wrapped, {@link nodeEntry} never fails.
 */
export function unwrapNode(value: unknown): [string, Obj] | undefined {
  if (!isObj(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const type = keys[0] as string;
  if (!/^[A-Z]/.test(type)) return undefined;
  const body = value[type];
  return isObj(body) ? [type, body] : undefined;
}

/** The body of `value` when it is a wrapped node of `type`. */
export function bodyIfType(value: unknown, type: string): Obj | undefined {
  const node = unwrapNode(value);
  return node && node[0] === type ? node[1] : undefined;
}

/** `value` as an array (empty when absent). */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` as a string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The typed body of a node wrapped as `{ Type: body }`, or undefined when it is another type. */
export function nodeOf<T>(node: Node | undefined, type: string): T | undefined {
  if (!node) return undefined;
  return (node as unknown as Record<string, T | undefined>)[type];
}

/** The statement node's body, e.g. the `CreateStmt` object of `{ CreateStmt: {...} }`. */
export function statementBody<T>(stmt: ParsedStatement): T {
  return (stmt.node as unknown as Record<string, T>)[stmt.type] as T;
}

/** The `sval` of a `String` node, or undefined for anything else. */
export function stringOf(node: unknown): string | undefined {
  return text(bodyIfType(node, "String")?.sval);
}

/** The string values of a list of `String` nodes (`""` for other nodes). */
export function stringsOf(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => stringOf(n) ?? "");
}

/**
 * The single key of a wrapped node, e.g. `TypeCast`, and its body; `["", {}]`
 * when there is no node. Lenient: for parse trees known to be wrapped nodes.
 */
export function nodeEntry(node: Node | undefined): [string, Record<string, unknown>] {
  if (!node) return ["", {}];
  const key = Object.keys(node)[0] ?? "";
  return [key, (node as unknown as Record<string, Record<string, unknown>>)[key] ?? {}];
}

/** The last part of a qualified type name, lower-cased: `pg_catalog.int8` → `int8`. */
export function typeNameOf(type: TypeName | undefined): string {
  const names = type?.names ?? [];
  return (stringOf(names[names.length - 1]) ?? "").toLowerCase();
}

const TYPE_NAMES: Record<string, string> = {
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  bpchar: "char",
  bool: "boolean",
};

/** A type's name as users write it: `int4` → `integer`, `bpchar` → `char`. */
export function displayTypeName(type: TypeName | undefined): string {
  const name = typeNameOf(type);
  return TYPE_NAMES[name] ?? name;
}

/** A whole-number value from `Integer`, `Float` or `A_Const` nodes (0 when protobuf left it out). */
export function numberOf(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  const integer = nodeOf<{ ival?: number }>(node, "Integer");
  if (integer) return integer.ival ?? 0;
  const float = nodeOf<{ fval?: string }>(node, "Float");
  if (float) return Number(float.fval);
  const konst = nodeOf<{ ival?: { ival?: number }; fval?: { fval?: string } }>(node, "A_Const");
  if (konst?.ival) return konst.ival.ival ?? 0;
  if (konst?.fval) return Number(konst.fval.fval);
  return undefined;
}

/** The `DefElem` bodies of an option list. */
export function defElems(options: Node[] | undefined): DefElem[] {
  const out: DefElem[] = [];
  for (const option of options ?? []) {
    const def = nodeOf<DefElem>(option, "DefElem");
    if (def) out.push(def);
  }
  return out;
}

/** A string option value (`String` or `A_Const` holding a string), lower-cased. */
export function optionText(node: Node | undefined): string | undefined {
  const direct = stringOf(node);
  if (direct !== undefined) return direct.toLowerCase();
  const konst = nodeOf<{ sval?: { sval?: string } }>(node, "A_Const");
  return konst?.sval?.sval?.toLowerCase();
}

/**
 * Turns a parser location (0-based, in the parsed input) into an offset inside
 * the statement's own text, or undefined when the parser gave none.
 */
export function offsetIn(stmt: ParsedStatement, location: number | undefined): number | undefined {
  if (location === undefined || location < 0) return undefined;
  const offset = location - stmt.start;
  return offset >= 0 && offset <= stmt.text.length ? offset : undefined;
}

/**
 * A table's key in the rules' context: lower-cased, `public.` dropped, else
 * schema-qualified. The opposite convention is {@link qualifiedTableKey}.
 */
export function contextTableKey(rel: RangeVar | undefined): string {
  const name = (rel?.relname ?? "").toLowerCase();
  const schema = rel?.schemaname?.toLowerCase();
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

/**
 * A table's key in the tenant registry: always `schema.table`, schema `public`
 * when absent, case kept as written (the registry holds drizzle's names).
 */
export function qualifiedTableKey(schema: string | undefined, table: string): string {
  return `${schema ?? "public"}.${table}`;
}

/** The constraints written inline on a column. */
export function columnConstraints(column: ColumnDef): Constraint[] {
  const out: Constraint[] = [];
  for (const node of column.constraints ?? []) {
    const constraint = nodeOf<Constraint>(node, "Constraint");
    if (constraint) out.push(constraint);
  }
  return out;
}
