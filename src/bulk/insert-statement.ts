import { Column, getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { insertDisabled } from "../driver/drizzle-internals.js";

/** How a table's columns are named in SQL (Drizzle's casing), from the db's dialect. */
export interface ColumnNamer {
  getColumnCasing(column: Column): string;
}

interface TargetColumn {
  key: string;
  column: Column;
  /** The column keeps Drizzle's identity encoder (text, integer...): no call per value. */
  plain: boolean;
}

/** Drizzle's default encoder, which returns the value as it is. */
const identityEncoder = Column.prototype.mapToDriverValue;

/** A multi-row INSERT for one table, built without Drizzle's query builder. */
export interface InsertStatement {
  sql: string;
  params: unknown[];
}

/**
 * A row encoded once, when it is read: each column's driver value
 * (undefined: the database default), and the bytes it writes. `values` is
 * undefined when the row holds a `sql` expression (Drizzle's builder then
 * renders it from `row`).
 */
export interface EncodedRow {
  row: Record<string, unknown>;
  values: unknown[] | undefined;
  bytes: number;
}

/** Per-row overhead: tuple header and index entries. */
const ROW_OVERHEAD = 24;
/** An expression the server evaluates: its size is unknown here. */
const EXPRESSION_BYTES = 64;

/** Strings up to this length are counted at UTF-8's worst case (3 bytes per UTF-16 unit) instead of measured. */
const SHORT_STRING = 64;

/**
 * Bytes a driver value writes, never under: a short string counts 3 bytes per
 * character (at most 128 bytes over, and no native call per value), a longer
 * one its exact UTF-8 length.
 */
function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === "string") {
    return value.length <= SHORT_STRING ? value.length * 3 : Buffer.byteLength(value);
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === "object") return Buffer.byteLength(JSON.stringify(value) ?? "");
  return 8;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Builds multi-row `INSERT ... VALUES` statements the way Drizzle's builder
 * does (same columns, `$defaultFn` / `$onUpdate` values, `default` for the
 * rest, each value through its column's encoder), but as one string and one
 * flat parameter array: for a 3,000-row batch the builder's per-value objects
 * cost more client CPU than the database's insert. Each row is encoded once
 * ({@link InsertStatementBuilder.encode}), and measured from the encoded
 * values. Rows holding `sql` expressions are left to the builder (`build`
 * returns undefined).
 */
export class InsertStatementBuilder {
  readonly #head: string;
  readonly #columns: TargetColumn[];
  readonly #texts = new Map<string, string>();

  readonly #tail: string;

  /** `tail` ends every statement (an ON CONFLICT clause). */
  constructor(table: PgTable, namer: ColumnNamer | undefined, tail = "") {
    this.#tail = tail;
    const config = getTableConfig(table);
    this.#columns = Object.entries(getTableColumns(table as Table))
      .filter(([, column]) => !insertDisabled(column))
      .map(([key, column]) => ({
        key,
        column,
        plain: column.mapToDriverValue === identityEncoder,
      }));
    const names = this.#columns.map(({ column }) =>
      quote(namer ? namer.getColumnCasing(column) : column.name),
    );
    const name = config.schema
      ? `${quote(config.schema)}.${quote(config.name)}`
      : quote(config.name);
    this.#head = `insert into ${name} (${names.join(", ")}) values `;
  }

  /** Bind parameters per row. */
  get width(): number {
    return this.#columns.length;
  }

  /** Encodes a row for {@link build} and measures it. */
  encode(row: Record<string, unknown>): EncodedRow {
    const width = this.#columns.length;
    let values: unknown[] | undefined = new Array(width);
    let bytes = ROW_OVERHEAD;
    for (let c = 0; c < width; c++) {
      const value = this.#value(row, this.#columns[c] as TargetColumn);
      if (value !== null && typeof value === "object" && is(value, SQL)) {
        values = undefined;
        bytes += EXPRESSION_BYTES;
        continue;
      }
      if (values) values[c] = value;
      if (value !== undefined) bytes += valueBytes(value);
    }
    return { row, values, bytes };
  }

  /**
   * An upper bound on the bytes `row` writes, without encoding it (strings
   * count 3 bytes per character; only objects, such as JSON values, are
   * encoded): cheap enough to check a whole array before the load starts.
   * Values `$defaultFn` would make are not counted.
   */
  upperBound(row: Record<string, unknown>): number {
    let bytes = ROW_OVERHEAD;
    for (const { key, column } of this.#columns) {
      const value = row[key];
      if (typeof value === "string") bytes += value.length * 3;
      else if (value === null || typeof value !== "object") bytes += 8;
      else if (is(value, SQL)) bytes += EXPRESSION_BYTES;
      else bytes += valueBytes(column.mapToDriverValue(value));
    }
    return bytes;
  }

  /** The statement for `rows`, or undefined when a row needs the builder. */
  build(rows: readonly EncodedRow[]): InsertStatement | undefined {
    const first = rows[0]?.values;
    if (!first || rows.some((r) => r.values === undefined)) return undefined;
    // Columns left to their database default in the first row (a uuid
    // `defaultRandom()` key, say): when every row leaves the same ones, the
    // statement text is shared and cached like the all-parameter one.
    const mask = first.map((value) => value === undefined);
    const kept = mask.filter((isDefault) => !isDefault).length;
    const width = this.#columns.length;
    const params: unknown[] = new Array(rows.length * kept);
    let at = 0;
    for (const { values } of rows) {
      for (let c = 0; c < width; c++) {
        const value = (values as unknown[])[c];
        if ((value === undefined) !== mask[c]) return this.#mixedDefaults(rows);
        if (value !== undefined) params[at++] = value;
      }
    }
    return { sql: this.#text(rows.length, mask), params };
  }

  /** A row's value for a column as the driver gets it: `$defaultFn` / `$onUpdate` applied, encoded; undefined for the database default. */
  #value(row: Record<string, unknown>, { key, column, plain }: TargetColumn): unknown {
    let value = row[key];
    if (value === undefined) {
      if (column.defaultFn !== undefined) value = column.defaultFn();
      else if (!column.default && column.onUpdateFn !== undefined) value = column.onUpdateFn();
    }
    if (value === undefined || value === null) return value;
    if (typeof value === "object" && is(value, SQL)) return value;
    return plain ? value : column.mapToDriverValue(value);
  }

  /** Rows that leave different columns to their defaults: one text per statement. */
  #mixedDefaults(rows: readonly EncodedRow[]): InsertStatement {
    const params: unknown[] = [];
    const tuples: string[] = new Array(rows.length);
    rows.forEach(({ values }, r) => {
      const cells = (values as unknown[]).map((value) => {
        if (value === undefined) return "default";
        params.push(value);
        return `$${params.length}`;
      });
      tuples[r] = `(${cells.join(", ")})`;
    });
    return { sql: this.#head + tuples.join(", ") + this.#tail, params };
  }

  /** The text for `count` rows, `default` where `mask` says; one string per shape, reused. */
  #text(count: number, mask: readonly boolean[]): string {
    const shape = `${count}:${mask.map((d) => (d ? 1 : 0)).join("")}`;
    let text = this.#texts.get(shape);
    if (!text) {
      const tuples: string[] = new Array(count);
      let n = 0;
      for (let r = 0; r < count; r++) {
        const cells = mask.map((isDefault) => (isDefault ? "default" : `$${++n}`));
        tuples[r] = `(${cells.join(", ")})`;
      }
      text = this.#head + tuples.join(", ") + this.#tail;
      this.#texts.set(shape, text);
    }
    return text;
  }
}
