import { type Column, type SQL, sql } from "drizzle-orm";
import { customTypeConfig } from "../drizzle-internals.js";

/** A PostgreSQL text[] literal, quoting every element (bound as one parameter). */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

function csvDelimiter(column: Column): string | undefined {
  const config = customTypeConfig(column);
  if (config?.format !== "csv") return undefined;
  return typeof config.delimiter === "string" ? config.delimiter : ",";
}

function checkStrings(values: readonly string[], what: string): void {
  if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
    throw new TypeError(`${what} takes an array of strings`);
  }
}

/**
 * The column's elements as a runtime `text[]`, whichever form a row holds:
 * PostgreSQL's array literal (drizzle's `.array()`, migrated defaults) or a
 * JSON array (`textArray`).
 */
function asTextArray(column: Column): SQL {
  return sql`(CASE WHEN left(${column}, 1) = '{' THEN ${column}::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(${column}::jsonb)) END)`;
}

/**
 * The text at a JSON path inside a TEXT JSON column (`col::jsonb #>> path`),
 * or null. Path elements are bound as one parameter.
 *
 * @example
 * ```ts
 * await db.select().from(settings).where(eq(jsonGet(settings.prefs, "theme"), "dark"));
 * ```
 */
export function jsonGet(column: Column | SQL, ...path: (string | number)[]): SQL<string | null> {
  if (path.length === 0) throw new TypeError("jsonGet needs at least one path element");
  return sql<string | null>`(${column}::jsonb #>> ${textArrayLiteral(path.map(String))}::text[])`;
}

/**
 * Whether the TEXT JSON column contains `value` (jsonb `@>`): objects match on
 * a subset of keys, arrays on a subset of elements.
 *
 * @example
 * ```ts
 * await db.select().from(settings).where(jsonContains(settings.prefs, { notifications: true }));
 * ```
 */
export function jsonContains(column: Column | SQL, value: unknown): SQL<boolean> {
  return sql<boolean>`(${column}::jsonb @> ${JSON.stringify(value)}::jsonb)`;
}

/**
 * Whether a `textArray` column (or a migrated `text().array()` column, now
 * text) holds every one of `values`.
 *
 * @example
 * ```ts
 * await db.select().from(posts).where(arrayContains(posts.tags, ["sql", "dsql"]));
 * ```
 */
export function arrayContains(column: Column, values: readonly string[]): SQL<boolean> {
  checkStrings(values, "arrayContains");
  const delimiter = csvDelimiter(column);
  if (delimiter !== undefined) {
    return sql<boolean>`(string_to_array(${column}, ${delimiter}) @> ${textArrayLiteral(values)}::text[])`;
  }
  return sql<boolean>`(${asTextArray(column)} @> ${textArrayLiteral(values)}::text[])`;
}

/**
 * Whether a `textArray` column (or a migrated `text().array()` column, now
 * text) holds at least one of `values`.
 *
 * @example
 * ```ts
 * await db.select().from(posts).where(arrayOverlaps(posts.tags, ["sql", "orm"]));
 * ```
 */
export function arrayOverlaps(column: Column, values: readonly string[]): SQL<boolean> {
  checkStrings(values, "arrayOverlaps");
  const delimiter = csvDelimiter(column);
  if (delimiter !== undefined) {
    return sql<boolean>`(string_to_array(${column}, ${delimiter}) && ${textArrayLiteral(values)}::text[])`;
  }
  return sql<boolean>`(${asTextArray(column)} && ${textArrayLiteral(values)}::text[])`;
}
