import { type Column, getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";

/** How a table's columns are named in SQL (Drizzle's casing), from the db's dialect. */
export interface ColumnNamer {
  getColumnCasing(column: Column): string;
}

interface TargetColumn {
  key: string;
  column: Column;
}

/** A multi-row INSERT for one table, built without Drizzle's query builder. */
export interface InsertStatement {
  sql: string;
  params: unknown[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Builds multi-row `INSERT ... VALUES` statements the way Drizzle's builder
 * does (same columns, `$defaultFn` / `$onUpdate` values, `default` for the
 * rest, each value through its column's encoder), but as one string and one
 * flat parameter array: for a 3,000-row batch the builder's per-value objects
 * cost more client CPU than the database's insert. Rows holding `sql`
 * expressions are left to the builder (`build` returns undefined).
 */
export class InsertStatementBuilder {
  readonly #head: string;
  readonly #columns: TargetColumn[];
  readonly #texts = new Map<number, string>();

  constructor(table: PgTable, namer: ColumnNamer | undefined) {
    const config = getTableConfig(table);
    this.#columns = Object.entries(getTableColumns(table as Table))
      .filter(
        ([, column]) =>
          !(column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert(),
      )
      .map(([key, column]) => ({ key, column }));
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

  /** The statement for `rows`, or undefined when a row needs the builder. */
  build(rows: readonly Record<string, unknown>[]): InsertStatement | undefined {
    const width = this.#columns.length;
    const params: unknown[] = new Array(rows.length * width);
    let defaults: Set<number> | undefined;
    let at = 0;
    for (const row of rows) {
      for (const { key, column } of this.#columns) {
        let value = row[key];
        if (value === undefined) {
          if (column.defaultFn !== undefined) value = column.defaultFn();
          else if (!column.default && column.onUpdateFn !== undefined) value = column.onUpdateFn();
        }
        if (value !== null && typeof value === "object" && is(value, SQL)) return undefined;
        if (value === undefined) {
          defaults ??= new Set();
          defaults.add(at);
          params[at++] = undefined;
          continue;
        }
        params[at++] = value === null ? null : column.mapToDriverValue(value);
      }
    }
    if (!defaults) return { sql: this.#text(rows.length), params };
    return this.#withDefaults(rows.length, params, defaults);
  }

  /** The text for `count` rows with every cell a parameter; one string per count, reused. */
  #text(count: number): string {
    let text = this.#texts.get(count);
    if (!text) {
      const width = this.#columns.length;
      const tuples: string[] = new Array(count);
      for (let r = 0; r < count; r++) {
        const cells: string[] = new Array(width);
        for (let c = 0; c < width; c++) cells[c] = `$${r * width + c + 1}`;
        tuples[r] = `(${cells.join(", ")})`;
      }
      text = this.#head + tuples.join(", ");
      this.#texts.set(count, text);
    }
    return text;
  }

  #withDefaults(count: number, all: unknown[], defaults: Set<number>): InsertStatement {
    const width = this.#columns.length;
    const params: unknown[] = [];
    const tuples: string[] = new Array(count);
    for (let r = 0; r < count; r++) {
      const cells: string[] = new Array(width);
      for (let c = 0; c < width; c++) {
        const index = r * width + c;
        if (defaults.has(index)) cells[c] = "default";
        else {
          params.push(all[index]);
          cells[c] = `$${params.length}`;
        }
      }
      tuples[r] = `(${cells.join(", ")})`;
    }
    return { sql: this.#head + tuples.join(", "), params };
  }
}
