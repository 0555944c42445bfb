import { customType } from "drizzle-orm/pg-core";
import { DsqlDecodeError, DsqlEncodeError, DsqlError } from "../errors.js";
import { parsePgArray } from "../sql/pg-array.js";
import { columnLabel, decodeJson, type MappedColumn } from "./json-text.js";

/** How a `textArray` column is stored. */
export interface TextArrayOptions {
  /**
   * `"json"` (default): a JSON array of strings, lossless for any element.
   * `"csv"`: elements joined with `delimiter`, for existing comma-joined data;
   * an array that would not split back into itself (an element containing
   * the delimiter, or forming it across an edge) is refused with
   * `DsqlEncodeError` rather than corrupted.
   */
  format?: "json" | "csv";
  /** The csv delimiter. Default `","`. */
  delimiter?: string;
}

function decodePgArray(text: string, column: MappedColumn | undefined): string[] {
  const value = parsePgArray(text);
  if (!value || value.some((v) => typeof v !== "string")) {
    throw new DsqlDecodeError(
      `Column ${columnLabel(column)} holds an array literal that is not a flat array of strings`,
      { column: columnLabel(column) },
    );
  }
  return value as string[];
}

function decodeJsonArray(text: string, column: MappedColumn | undefined): string[] {
  // PostgreSQL's array literal: what drizzle's `.array()` writes and migrated defaults hold.
  if (text.trimStart().startsWith("{")) return decodePgArray(text, column);
  const value = decodeJson(text, column);
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new DsqlDecodeError(
      `Column ${columnLabel(column)} holds JSON that is not an array of strings`,
      {
        column: columnLabel(column),
      },
    );
  }
  return value;
}

function encodeArray(value: string[], column: MappedColumn | undefined): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new DsqlEncodeError(`Column ${columnLabel(column)} takes an array of strings`, {
      column: columnLabel(column),
    });
  }
  return value;
}

/** Joins csv elements, refusing any array that would not split back into itself. */
function encodeCsv(items: string[], delimiter: string, column: MappedColumn | undefined): string {
  const refuse = (why: string) =>
    new DsqlEncodeError(`Column ${columnLabel(column)} (csv) cannot store ${why}`, {
      column: columnLabel(column),
    });
  if (items.length === 1 && items[0] === "") throw refuse('[""]: it reads back as []');
  const bad = items.find((item) => item.includes(delimiter));
  if (bad !== undefined) {
    throw refuse(
      `${JSON.stringify(bad)}: it contains the delimiter ${JSON.stringify(delimiter)}; use the default JSON format`,
    );
  }
  const text = items.join(delimiter);
  // A multi-character delimiter can also form across an element's edge
  // (["a|", "b"] joined with "||"): only an exact split back is accepted.
  const back = text === "" ? [] : text.split(delimiter);
  if (back.length !== items.length || back.some((item, i) => item !== items[i])) {
    throw refuse(
      `${JSON.stringify(items)}: joined with ${JSON.stringify(delimiter)} it reads back as ${JSON.stringify(back)}; use the default JSON format`,
    );
  }
  return text;
}

/**
 * A `string[]` stored as TEXT (DDL type `text`): DSQL has arrays only at
 * query time, never as column types. The default format is a JSON array,
 * which keeps commas, quotes, backslashes, unicode and empty arrays exactly;
 * it also reads PostgreSQL's array literal (`{a,"b c"}`), which a migrated
 * `text[]` column's default and drizzle's `.array()` columns write.
 * Query with `arrayContains` / `arrayOverlaps`.
 *
 * @example
 * ```ts
 * const posts = pgTable("posts", {
 *   id: uuid("id").primaryKey().defaultRandom(),
 *   tags: textArray("tags").notNull().$defaultFn(() => []),
 *   legacy: textArray("legacy_tags", { format: "csv" }),
 * });
 * await db.select().from(posts).where(arrayContains(posts.tags, ["sql"]));
 * ```
 */
export function textArray(name: string, options: TextArrayOptions = {}) {
  const format = options.format ?? "json";
  const delimiter = options.delimiter ?? ",";
  if (format !== "json" && format !== "csv")
    throw new DsqlError(`textArray format must be "json" or "csv", got ${String(format)}`);
  if (delimiter.length === 0) throw new DsqlError("textArray delimiter must not be empty");
  return customType<{ data: string[]; driverData: string; config: TextArrayOptions }>({
    dataType: () => "text",
    toDriver(this: MappedColumn | undefined, value: string[]): string {
      const items = encodeArray(value, this);
      if (format === "json") return JSON.stringify(items);
      return encodeCsv(items, delimiter, this);
    },
    fromDriver(this: MappedColumn | undefined, value: string): string[] {
      if (format === "json") {
        if (Array.isArray(value)) return value as string[];
        return decodeJsonArray(value, this);
      }
      if (typeof value !== "string") {
        throw new DsqlDecodeError(`Column ${columnLabel(this)} holds ${typeof value}, not text`, {
          column: columnLabel(this),
        });
      }
      return value === "" ? [] : value.split(delimiter);
    },
  })(name, { format, delimiter });
}
