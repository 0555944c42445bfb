import type { Node, TypeName } from "@pgsql/types";
import { baseType, names, stringConst, unwrap } from "./ast.js";

/** A string literal, optionally cast (`'{}'::jsonb`): its text and the cast's type. */
export function stringLiteral(
  expr: Node | undefined,
): { value: string; cast?: TypeName } | undefined {
  const [kind, body] = unwrap(expr);
  if (kind === "A_Const") {
    const sval = (body as { sval?: { sval?: string } }).sval;
    return sval ? { value: sval.sval ?? "" } : undefined;
  }
  if (kind === "TypeCast") {
    const inner = stringLiteral(body.arg as Node);
    return inner && !inner.cast
      ? { value: inner.value, cast: body.typeName as TypeName }
      : undefined;
  }
  return undefined;
}

/** Whether the expression is the literal NULL (possibly cast). */
export function isNullLiteral(expr: Node | undefined): boolean {
  const [kind, body] = unwrap(expr);
  if (kind === "A_Const") return body.isnull === true;
  if (kind === "TypeCast") return isNullLiteral(body.arg as Node);
  return false;
}

type PgArray = (string | null | PgArray)[];

/** Parses PostgreSQL's array literal text (`{a,"b c",NULL}`); undefined when malformed. */
export function parsePgArray(text: string): PgArray | undefined {
  let at = 0;
  const src = text.trim();
  function parse(): PgArray | undefined {
    if (src[at] !== "{") return undefined;
    at++;
    const out: PgArray = [];
    if (src[at] === "}") {
      at++;
      return out;
    }
    for (;;) {
      while (src[at] === " ") at++;
      if (src[at] === "{") {
        const inner = parse();
        if (!inner) return undefined;
        out.push(inner);
      } else if (src[at] === '"') {
        at++;
        let value = "";
        while (at < src.length && src[at] !== '"') {
          if (src[at] === "\\") at++;
          value += src[at] ?? "";
          at++;
        }
        if (src[at] !== '"') return undefined;
        at++;
        out.push(value);
      } else {
        let value = "";
        while (at < src.length && src[at] !== "," && src[at] !== "}") {
          if (src[at] === "\\") at++;
          value += src[at] ?? "";
          at++;
        }
        value = value.trim();
        out.push(value.toUpperCase() === "NULL" ? null : value);
      }
      while (src[at] === " ") at++;
      if (src[at] === ",") {
        at++;
        continue;
      }
      if (src[at] === "}") {
        at++;
        return out;
      }
      return undefined;
    }
  }
  const result = parse();
  return result && at === src.length ? result : undefined;
}

const NUMERIC = new Set([
  "int2",
  "int4",
  "int8",
  "float4",
  "float8",
  "numeric",
  "smallint",
  "integer",
]);
const BOOLEAN = new Set(["bool", "boolean"]);

function jsonElement(value: string | null | PgArray, element: string): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => jsonElement(v, element));
  if (NUMERIC.has(element) && Number.isFinite(Number(value))) return Number(value);
  if (BOOLEAN.has(element)) return /^(t|true|y|yes|on|1)$/i.test(value);
  return value;
}

function constValue(expr: Node): string | number | boolean | null | undefined {
  const [kind, body] = unwrap(expr);
  if (kind === "TypeCast") return constValue(body.arg as Node);
  if (kind !== "A_Const") return undefined;
  if (body.isnull) return null;
  const c = body as {
    sval?: { sval?: string };
    ival?: { ival?: number };
    fval?: { fval?: string };
    boolval?: { boolval?: boolean };
  };
  if (c.sval) return c.sval.sval ?? "";
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval);
  if (c.boolval) return c.boolval.boolval ?? false;
  return undefined;
}

/**
 * The JSON text (as a string constant) that `textArray` reads for an array
 * column's default: `'{}'` → `'[]'`, `'{"a","b"}'` → `'["a","b"]'`,
 * `ARRAY['a','b']` → `'["a","b"]'`. Undefined when the default is not a literal.
 */
export function arrayDefaultAsJson(
  expr: Node,
  elementType: TypeName | undefined,
): Node | undefined {
  const element = baseType(elementType);
  const literal = stringLiteral(expr);
  if (literal) {
    const parsed = parsePgArray(literal.value);
    return parsed ? stringConst(JSON.stringify(jsonElement(parsed, element))) : undefined;
  }
  const [kind, body] = unwrap(expr);
  const [arrayKind, arrayBody] = kind === "TypeCast" ? unwrap(body.arg as Node) : [kind, body];
  if (arrayKind !== "A_ArrayExpr") return undefined;
  const values: unknown[] = [];
  for (const el of (arrayBody.elements as Node[] | undefined) ?? []) {
    const v = constValue(el);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return stringConst(JSON.stringify(values));
}

/** The default without a cast to one of `types` (`'ok'::mood` → `'ok'`), or undefined. */
export function stripCast(
  expr: Node | undefined,
  types: (t: TypeName) => boolean,
): Node | undefined {
  const [kind, body] = unwrap(expr);
  if (kind !== "TypeCast" || !types(body.typeName as TypeName)) return undefined;
  return body.arg as Node;
}

/** Whether a type name is an array type (`text[]`). */
export function isArrayType(type: TypeName | undefined): boolean {
  if ((type?.arrayBounds?.length ?? 0) > 0) return true;
  // PostgreSQL's internal array type names: _text, _int4, ...
  const parts = names(type?.names);
  return parts.length === 1 && /^_[a-z]/i.test(parts[0] ?? "");
}

/** The lower-cased `schema.name` of a type (schema `public` when unqualified). */
export function qualifiedTypeName(type: TypeName | undefined): string {
  const parts = names(type?.names).map((p) => p.toLowerCase());
  if (parts.length === 1) parts.unshift("public");
  return parts.join(".");
}
