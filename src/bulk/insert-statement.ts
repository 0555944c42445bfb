import { Column, getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { insertDisabled } from "../drizzle-internals.js";
import { LruCache } from "../sql/lru.js";
import { valueBytes } from "../twin/limits.js";

/** How a table's columns are named in SQL (Drizzle's casing), from the db's dialect. */
export interface ColumnNamer {
  getColumnCasing(column: Column): string;
}

interface TargetColumn {
  key: string;
  column: Column;
  /** What a missing value becomes: `$defaultFn`, or `$onUpdate` without a default; none: the database default. */
  fill: (() => unknown) | undefined;
  /** The column's encoder; none when it keeps Drizzle's identity encoder (text, integer...): no call per value. */
  encode: ((value: unknown) => unknown) | undefined;
}

/** Drizzle's default encoder, which returns the value as it is. */
const identityEncoder = Column.prototype.mapToDriverValue;

/** A multi-row INSERT for one table, built without Drizzle's query builder. */
export interface InsertStatement {
  sql: string;
  params: unknown[];
}

/** Per-row overhead: tuple header and index entries. */
const ROW_OVERHEAD = 24;
/** An expression the server evaluates: its size is unknown here. */
const EXPRESSION_BYTES = 64;

/** Strings up to this length are counted at UTF-8's worst case (3 bytes per UTF-16 unit) instead of measured. */
const SHORT_STRING = 64;

/** Statement texts kept per table (one per row count and default mask). */
const MAX_TEXTS = 64;

/**
 * Bytes a driver value writes, never under: a short string counts 3 bytes per
 * character (at most 128 bytes over, and no native call per value), anything
 * else as the twin measures it.
 */
function estimateBytes(value: unknown): number {
  if (typeof value === "string" && value.length <= SHORT_STRING) return value.length * 3;
  return value === null ? 1 : valueBytes(value);
}

/** What a missing value becomes, as Drizzle's builder fills it: `$defaultFn`, else `$onUpdate` when there is no SQL default. */
function fillOf(column: Column): (() => unknown) | undefined {
  if (column.defaultFn !== undefined) return () => column.defaultFn?.();
  if (!column.default && column.onUpdateFn !== undefined) return () => column.onUpdateFn?.();
  return undefined;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Builds multi-row `INSERT ... VALUES` statements the way Drizzle's builder
 * does (same columns, `$defaultFn` / `$onUpdate` values, `default` for the
 * rest, each value through its column's encoder), but as one string and one
 * flat parameter array: for a 3,000-row batch the builder's per-value objects
 * cost more client CPU than the database's insert. Each row is encoded once
 * ({@link InsertStatementBuilder.encodeInto}) into a batch's flat value
 * array, and measured from the encoded values. Rows holding `sql`
 * expressions are left to Drizzle's builder (`encodeInto` says which).
 */
export class InsertStatementBuilder {
  readonly #head: string;
  readonly #columns: TargetColumn[];
  readonly #texts = new LruCache<string, string>(MAX_TEXTS);

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
        fill: fillOf(column),
        encode:
          column.mapToDriverValue === identityEncoder
            ? undefined
            : (value: unknown) => column.mapToDriverValue(value),
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

  /**
   * Encodes a row for {@link build}: appends its `width` driver values to
   * `values` (undefined: the database default) and returns the bytes it
   * writes, negated when the row holds a `sql` expression (the batch must
   * then go through Drizzle's builder).
   */
  encodeInto(row: Record<string, unknown>, values: unknown[]): number {
    const columns = this.#columns;
    let bytes = ROW_OVERHEAD;
    let expression = false;
    for (let c = 0; c < columns.length; c++) {
      const target = columns[c] as TargetColumn;
      let value = row[target.key];
      if (value === undefined && target.fill !== undefined) value = target.fill();
      if (value === undefined || value === null) {
        values.push(value);
        if (value === null) bytes += 1;
        continue;
      }
      if (typeof value === "object" && is(value, SQL)) {
        values.push(value);
        expression = true;
        bytes += EXPRESSION_BYTES;
        continue;
      }
      if (target.encode !== undefined) value = target.encode(value);
      values.push(value);
      bytes += estimateBytes(value);
    }
    return expression ? -bytes : bytes;
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

  /**
   * The statement for `count` rows of encoded `values` (from
   * {@link encodeInto}), starting at row `from`. When no value is left to
   * its default and the rows are all of `values`, the array itself is the
   * parameters: no copy.
   */
  build(values: readonly unknown[], from: number, count: number): InsertStatement {
    const width = this.#columns.length;
    const start = from * width;
    const end = start + count * width;
    // Columns left to their database default in the first row (a uuid
    // `defaultRandom()` key, say): when every row leaves the same ones, the
    // statement text is shared and cached like the all-parameter one.
    const mask: boolean[] = new Array(width);
    let kept = 0;
    for (let c = 0; c < width; c++) {
      mask[c] = values[start + c] === undefined;
      if (!mask[c]) kept++;
    }
    if (kept === width) {
      for (let i = start; i < end; i++) {
        if (values[i] === undefined) return this.#mixedDefaults(values, start, end);
      }
      const params = start === 0 && end === values.length ? values : values.slice(start, end);
      return { sql: this.#text(count, mask), params: params as unknown[] };
    }
    const params: unknown[] = new Array(count * kept);
    let at = 0;
    for (let i = start; i < end; i += width) {
      for (let c = 0; c < width; c++) {
        const value = values[i + c];
        if ((value === undefined) !== mask[c]) return this.#mixedDefaults(values, start, end);
        if (value !== undefined) params[at++] = value;
      }
    }
    return { sql: this.#text(count, mask), params };
  }

  /** Rows that leave different columns to their defaults: one text per statement. */
  #mixedDefaults(values: readonly unknown[], start: number, end: number): InsertStatement {
    const width = this.#columns.length;
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = start; i < end; i += width) {
      const cells: string[] = new Array(width);
      for (let c = 0; c < width; c++) {
        const value = values[i + c];
        if (value === undefined) cells[c] = "default";
        else {
          params.push(value);
          cells[c] = `$${params.length}`;
        }
      }
      tuples.push(`(${cells.join(", ")})`);
    }
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

const builders = new WeakMap<PgTable, WeakMap<object, Map<string, InsertStatementBuilder>>>();
const NO_NAMER = {};

/**
 * The builder for `table` with `namer` and `tail`, kept while the table is:
 * repeated loads into one table reuse its statement texts (built once, and
 * the same string objects each time).
 */
export function insertStatementBuilder(
  table: PgTable,
  namer: ColumnNamer | undefined,
  tail = "",
): InsertStatementBuilder {
  let byNamer = builders.get(table);
  if (!byNamer) {
    byNamer = new WeakMap();
    builders.set(table, byNamer);
  }
  let byTail = byNamer.get(namer ?? NO_NAMER);
  if (!byTail) {
    byTail = new Map();
    byNamer.set(namer ?? NO_NAMER, byTail);
  }
  let builder = byTail.get(tail);
  if (!builder) {
    builder = new InsertStatementBuilder(table, namer, tail);
    byTail.set(tail, builder);
  }
  return builder;
}
