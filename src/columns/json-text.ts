import { getTableName, type Table } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";
import { DsqlDecodeError, DsqlEncodeError } from "../errors.js";

/** The column a custom type's mapper runs for (Drizzle calls mappers as the column's methods). */
export interface MappedColumn {
  name: string;
  table: Table;
}

/** `table.column` for error messages. */
export function columnLabel(column: MappedColumn | undefined): string {
  if (!column?.table) return column?.name ?? "(unknown column)";
  return `${getTableName(column.table)}.${column.name}`;
}

/** Parses stored JSON text, or throws DsqlDecodeError naming the column. */
export function decodeJson(text: unknown, column: MappedColumn | undefined): unknown {
  if (typeof text !== "string") {
    // Already decoded (e.g. nested in a relational query's JSON) or a wrong type.
    if (text !== null && typeof text === "object") return text;
    throw new DsqlDecodeError(`Column ${columnLabel(column)} holds ${typeof text}, not JSON text`, {
      column: columnLabel(column),
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    throw new DsqlDecodeError(
      `Column ${columnLabel(column)} holds text that is not valid JSON: ${JSON.stringify(shown)}`,
      {
        cause: error,
        column: columnLabel(column),
      },
    );
  }
}

/** Why `value` would not read back as itself from JSON, or undefined when it would. */
function lossOf(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      if (!Number.isFinite(value)) return `${path} is ${value} (JSON has no NaN or Infinity)`;
      return Object.is(value, -0) ? `${path} is -0 (JSON reads it back as 0)` : undefined;
    case "object":
      break;
    default:
      return `${path} is ${typeof value === "bigint" ? "a BigInt" : typeof value} (JSON cannot hold it)`;
  }
  if (value === null) return undefined;
  if (seen.has(value)) return `${path} refers back to itself`;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return `${path} is a subclass of Array`;
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${path}[${i}] is a hole (JSON reads it back as null)`;
      if (value[i] === undefined) return `${path}[${i}] is undefined (JSON reads it back as null)`;
      const loss = lossOf(value[i], `${path}[${i}]`, seen);
      if (loss) return loss;
    }
    seen.delete(value);
    return undefined;
  }
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
    return `${path} is a ${kind}, not a plain object (JSON would not read it back as one)`;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (item === undefined) return `${at} is undefined (JSON drops the key)`;
    const loss = lossOf(item, at, seen);
    if (loss) return loss;
  }
  seen.delete(value);
  return undefined;
}

/**
 * Serialises a value to JSON text; refuses, with `DsqlEncodeError`, what
 * JSON cannot represent losslessly: NaN, Infinity, -0, BigInt, undefined
 * (in an array, as a property or the whole value), functions, symbols,
 * holes, cycles, and objects that are not plain (Date, Map, Set, class
 * instances), since none of them reads back as itself.
 */
export function encodeJson(value: unknown, column: MappedColumn | undefined): string {
  const loss = lossOf(value, "value", new Set());
  if (loss) {
    throw new DsqlEncodeError(
      `Column ${columnLabel(column)} cannot store this value losslessly as JSON: ${loss}`,
      { column: columnLabel(column) },
    );
  }
  return JSON.stringify(value);
}

/**
 * A JSON value stored as TEXT (DDL type `text`), typed as `T` in TypeScript.
 * Values round-trip exactly through `JSON.stringify` / `JSON.parse`: what
 * would not (NaN, a Date, a BigInt, `undefined` in an array, ...) is refused
 * with `DsqlEncodeError` naming the table and column. Stored text that is not
 * JSON raises `DsqlDecodeError` naming the table and column, never a silent null.
 *
 * Defaults: drizzle-kit renders object defaults of custom types wrongly; use
 * `.default(sql\`'{"theme":"dark"}'\`)` or `.$defaultFn(() => ({ ... }))`.
 *
 * @example
 * ```ts
 * const settings = pgTable("settings", {
 *   id: uuid("id").primaryKey().defaultRandom(),
 *   prefs: jsonText<{ theme: string; notifications: boolean }>("prefs").notNull(),
 * });
 * await db.insert(settings).values({ prefs: { theme: "dark", notifications: true } });
 * ```
 */
export const jsonText = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => "text",
    toDriver(this: MappedColumn | undefined, value: T): string {
      return encodeJson(value, this);
    },
    fromDriver(this: MappedColumn | undefined, value: string): T {
      return decodeJson(value, this) as T;
    },
  })(name);
