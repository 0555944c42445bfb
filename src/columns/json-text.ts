import { getTableName, type Table } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";
import { DsqlDecodeError } from "../driver/errors.js";

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

/** Serialises a value to JSON text; refuses what JSON cannot represent losslessly. */
export function encodeJson(value: unknown, column: MappedColumn | undefined): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new DsqlDecodeError(
      `Column ${columnLabel(column)} cannot store ${typeof value} as JSON`,
      {
        column: columnLabel(column),
      },
    );
  }
  return text;
}

/**
 * A JSON value stored as TEXT (DDL type `text`), typed as `T` in TypeScript.
 * Values round-trip exactly through `JSON.stringify` / `JSON.parse`; stored
 * text that is not JSON raises `DsqlDecodeError` naming the table and column,
 * never a silent null.
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
