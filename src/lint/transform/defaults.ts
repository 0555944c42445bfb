import type { Node, TypeName } from "@pgsql/types";
import { nodeEntry, stringsOf } from "../../sql/ast.js";
import { parsePgArray, pgArrayLiteral } from "../../sql/pg-array.js";
import { stringConst } from "./ast.js";

/** A string literal, optionally cast (`'{}'::jsonb`): its text and the cast's type. */
export function stringLiteral(
  expr: Node | undefined,
): { value: string; cast?: TypeName } | undefined {
  const [kind, body] = nodeEntry(expr);
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
  const [kind, body] = nodeEntry(expr);
  if (kind === "A_Const") return body.isnull === true;
  if (kind === "TypeCast") return isNullLiteral(body.arg as Node);
  return false;
}

function constValue(expr: Node): string | number | boolean | null | undefined {
  const [kind, body] = nodeEntry(expr);
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
 * An array column's default as the text the column stores: PostgreSQL's
 * array literal, which drizzle's `.array()` columns write and read and
 * `textArray` reads too: `'{}'::text[]` → `'{}'`, `ARRAY['a','b']` →
 * `'{"a","b"}'`. Undefined when the default is not a literal.
 */
export function arrayDefaultAsText(expr: Node): Node | undefined {
  const literal = stringLiteral(expr);
  if (literal) {
    const parsed = parsePgArray(literal.value);
    return parsed ? stringConst(pgArrayLiteral(parsed)) : undefined;
  }
  const [kind, body] = nodeEntry(expr);
  const [arrayKind, arrayBody] = kind === "TypeCast" ? nodeEntry(body.arg as Node) : [kind, body];
  if (arrayKind !== "A_ArrayExpr") return undefined;
  const values: (string | null)[] = [];
  for (const el of (arrayBody.elements as Node[] | undefined) ?? []) {
    const v = constValue(el);
    if (v === undefined) return undefined;
    values.push(v === null ? null : String(v));
  }
  return stringConst(pgArrayLiteral(values));
}

/** The default without a cast to one of `types` (`'ok'::mood` → `'ok'`), or undefined. */
export function stripCast(
  expr: Node | undefined,
  types: (t: TypeName) => boolean,
): Node | undefined {
  const [kind, body] = nodeEntry(expr);
  if (kind !== "TypeCast" || !types(body.typeName as TypeName)) return undefined;
  return body.arg as Node;
}

/** Whether a type name is an array type (`text[]`). */
export function isArrayType(type: TypeName | undefined): boolean {
  if ((type?.arrayBounds?.length ?? 0) > 0) return true;
  // PostgreSQL's internal array type names: _text, _int4, ...
  const parts = stringsOf(type?.names);
  return parts.length === 1 && /^_[a-z]/i.test(parts[0] ?? "");
}

/** The lower-cased `schema.name` of a type (schema `public` when unqualified). */
export function qualifiedTypeName(type: TypeName | undefined): string {
  const parts = stringsOf(type?.names).map((p) => p.toLowerCase());
  if (parts.length === 1) parts.unshift("public");
  return parts.join(".");
}
