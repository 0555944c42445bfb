import type { Queryable } from "./jobs.js";
import type { TwinLimits } from "./limits.js";
import { transactionRefusal } from "./refusal.js";
import type { RowIds } from "./row-ids.js";

/** A count per table, by oid (as text). */
type Counters = Map<string, number>;

/** Rows and bytes a transaction wrote before the server counts started. */
export interface WrittenBefore {
  rows: number;
  bytes: number;
}

// Rows each user table gained, changed or lost in this transaction so far
// (cascades and rows written by functions included), read with the stats
// functions for user tables only (the pg_stat_xact_user_tables view costs
// several times more). DSQL's own `sys` schema is left out: DSQL writes its
// job rows itself.
const ROW_COUNTERS = `select relid, n, written from (select c.oid::text as relid,
    (pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
      + pg_stat_get_xact_tuples_deleted(c.oid))::float8 as n,
    (pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid))::float8 as written
  from pg_class c join pg_namespace s on s.oid = c.relnamespace
  where c.relkind in ('r', 'p') and s.nspname not in ('pg_catalog', 'information_schema', 'sys')
  ) counted where n > 0`;

// One table's qualified name, its columns (number, name, type) and the key
// columns of each of its indexes, the primary key marked.
const TABLE_LAYOUT = `select
  format('%I.%I', n.nspname, c.relname) as name,
  (select json_agg(json_build_array(a.attnum, a.attname, t.typname, t.typcategory) order by a.attnum)
     from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select coalesce(json_agg(json_build_array(i.indisprimary,
      (select json_agg(k) from unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) k))), '[]')
     from pg_index i where i.indrelid = c.oid) as indexes
  from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = $1::oid`;

// Rows whose current version this transaction wrote: a scan of the whole
// table (the transaction id is computed once, not per row).
const OWN_ROWS = "t.xmin = pg_current_xact_id()::xid";
// The rows at the ids the statements returned, read from the pages between
// the lowest and the highest id only (a TID range scan: rows an UPDATE wrote
// lie together, at the end of the table).
const ROWS_AT = "t.ctid between $2::tid and $3::tid and t.ctid = any($1::tid[])";

/** The lowest and the highest of row ids `(page,item)`, in PostgreSQL's order. */
function idRange(ids: readonly string[]): [string, string] {
  let low: [number, number] = [Number.POSITIVE_INFINITY, 0];
  let high: [number, number] = [-1, 0];
  for (const id of ids) {
    const comma = id.indexOf(",");
    const at: [number, number] = [Number(id.slice(1, comma)), Number(id.slice(comma + 1, -1))];
    if (at[0] < low[0] || (at[0] === low[0] && at[1] < low[1])) low = at;
    if (at[0] > high[0] || (at[0] === high[0] && at[1] > high[1])) high = at;
  }
  return [`(${low[0]},${low[1]})`, `(${high[0]},${high[1]})`];
}

// Whether a name (as a statement writes it) is a plain table, whose rows have ids.
const IS_TABLE = "select relkind in ('r', 'p') as table from pg_class where oid = to_regclass($1)";

interface Layout {
  name: string;
  columns: [number, string, string, string][];
  indexes: [boolean, number[] | null][];
}

/**
 * Uncompressed bytes of one column's value, as SQL over `j`, the row as
 * jsonb (made once per row: json's `->>` would parse the row's text again
 * for every column): a column the cached layout names but the table no
 * longer has reads as null instead of failing the transaction.
 */
function sizeOf(column: string, typname: string): string {
  const value = `(w.j ->> ${quoteLiteral(column)})`;
  // bytea reads as \x and two hex digits per byte.
  if (typname === "bytea") return `coalesce(greatest(octet_length(${value}) - 2, 0) / 2, 0)`;
  return `coalesce(octet_length(${value}), 0)`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const CAPPED = new Set(["bytea", "text", "varchar", "bpchar", "json", "jsonb"]);

function sizeQuery(layout: Layout, rows: string): string | undefined {
  const sizes = new Map(layout.columns.map(([num, name, typ]) => [num, sizeOf(name, typ)]));
  if (sizes.size === 0) return undefined;
  const row = [...sizes.values()].join(" + ");
  const capped = layout.columns.filter(([, , typ]) => CAPPED.has(typ)).map(([n]) => sizes.get(n));
  const keys = layout.indexes
    .map(([primary, cols]) => ({
      primary,
      expr: (cols ?? [])
        .filter((n) => n > 0)
        .map((n) => sizes.get(n))
        .join(" + "),
    }))
    .filter((k) => k.expr !== "");
  const secondary = keys.filter((k) => !k.primary).map((k) => `(${k.expr})`);
  return `select coalesce(max(row_bytes), 0)::float8 as row_bytes,
      coalesce(sum(row_bytes + index_bytes), 0)::float8 as bytes,
      coalesce(max(value_bytes), 0)::float8 as value_bytes,
      coalesce(max(key_bytes), 0)::float8 as key_bytes
    from (select ${row} as row_bytes,
      ${secondary.length ? secondary.join(" + ") : "0"} as index_bytes,
      ${capped.length ? `greatest(${capped.join(", ")})` : "0"} as value_bytes,
      ${keys.length ? `greatest(${keys.map((k) => `(${k.expr})`).join(", ")})` : "0"} as key_bytes
    from (select to_jsonb(t) as j from ${layout.name} t where ${rows} offset 0) w) s`;
}

// Table layouts per db handle (`key`), by table oid: read once, forgotten
// after DDL through the handle. After DDL elsewhere a stale layout misses new
// columns (sizes read low) but never fails: values are read from to_jsonb.
const layouts = new WeakMap<object, Map<string, Layout | undefined>>();
// Per db handle, by name as written: whether it names a plain table.
const tables = new WeakMap<object, Map<string, boolean>>();

/** Forgets the cached table layouts of a db handle (after DDL). */
export function forgetTableLayouts(key: object): void {
  layouts.delete(key);
  tables.delete(key);
}

function cacheOf<V>(caches: WeakMap<object, Map<string, V>>, key: object): Map<string, V> {
  let cache = caches.get(key);
  if (!cache) {
    cache = new Map();
    caches.set(key, cache);
  }
  return cache;
}

/**
 * What the server itself wrote in one twin transaction, read from its own
 * counters: rows changed per table (`pg_stat_xact_user_tables`, so cascades
 * count) and the logical size of every row version the transaction wrote
 * (uncompressed, so `repeat('a', 11 MiB)` counts 11 MiB). Checked against
 * DSQL's limits before COMMIT; a refusal leaves the transaction to be rolled back.
 *
 * Not the WAL position (`pg_current_wal_insert_lsn()` before and after):
 * WAL holds values compressed (11 MiB of one letter is a few KiB) and whole
 * pages after a checkpoint (a small update can cost 8 KiB), so it both under-
 * and over-counts what DSQL measures.
 *
 * The rows written are read by id when the statements that wrote them
 * returned their ids ({@link ServerWrites.record}) and those ids account for
 * every row the counters say was written; otherwise (a write through a
 * function or a WITH clause, say) the table is scanned for rows this
 * transaction wrote. Either runs once per transaction, and only in
 * transactions with a write the client cannot size itself (anything but a
 * small `INSERT ... VALUES` of parameters).
 */
export class ServerWrites {
  readonly #client: Queryable;
  readonly #limits: TwinLimits;
  readonly #key: object;
  readonly #before: WrittenBefore;
  #baseline: { changed: Counters; written: Counters } = { changed: new Map(), written: new Map() };
  /** Ids of the rows written since the start, per table, as the statements returned them. */
  readonly #ids: RowIds = new Map();

  private constructor(client: Queryable, limits: TwinLimits, key: object, before: WrittenBefore) {
    this.#client = client;
    this.#limits = limits;
    this.#key = key;
    this.#before = before;
  }

  /**
   * Starts counting on `client`, which must be inside the transaction, just
   * before its first write whose effects the client cannot know; `before` is
   * what the transaction's earlier writes (known ones) wrote. `key` is the
   * db handle the table layouts are cached for.
   */
  static async start(
    client: Queryable,
    limits: TwinLimits,
    key: object,
    before: WrittenBefore = { rows: 0, bytes: 0 },
  ): Promise<ServerWrites> {
    const writes = new ServerWrites(client, limits, key, before);
    writes.#baseline = await writes.#counters();
    return writes;
  }

  async #counters(): Promise<{ changed: Counters; written: Counters }> {
    const result = await this.#client.query(ROW_COUNTERS);
    const changed: Counters = new Map();
    const written: Counters = new Map();
    for (const row of result.rows as { relid: string; n: number; written: number }[]) {
      changed.set(row.relid, row.n);
      written.set(row.relid, row.written);
    }
    return { changed, written };
  }

  /**
   * Whether `name` (a table as a statement names it) is a plain table, whose
   * rows have ids a statement can return. Remembered per db handle until DDL.
   */
  async writesTable(name: string): Promise<boolean> {
    const cache = cacheOf(tables, this.#key);
    let table = cache.get(name);
    if (table === undefined) {
      const row = (await this.#client.query(IS_TABLE, [name])).rows[0];
      table = row?.table === true;
      cache.set(name, table);
    }
    return table;
  }

  /** Adds the ids of rows a statement wrote (as `takeRowIds` reads them off its result). */
  record(ids: RowIds): void {
    for (const [relid, list] of ids) {
      const known = this.#ids.get(relid);
      if (known) for (const id of list) known.push(id);
      else this.#ids.set(relid, list);
    }
  }

  /**
   * Throws DSQL's row-limit refusal when the transaction changed too many
   * rows; returns the row versions written since the start, per table.
   */
  async checkRows(): Promise<Counters> {
    const { changed, written } = await this.#counters();
    let rows = this.#before.rows;
    const touched: Counters = new Map();
    for (const [relid, n] of changed) {
      rows += n - (this.#baseline.changed.get(relid) ?? 0);
      const versions = (written.get(relid) ?? 0) - (this.#baseline.written.get(relid) ?? 0);
      if (versions > 0) touched.set(relid, versions);
    }
    if (rows > this.#limits.maxRows) {
      throw transactionRefusal(
        "transaction-row-limit",
        `${rows} rows changed, cascades included; the limit is ${this.#limits.maxRows}`,
      );
    }
    return touched;
  }

  /** Checks rows, then the sizes of what was written: before COMMIT. */
  async checkBeforeCommit(): Promise<void> {
    const touched = await this.checkRows();
    // Known writes before the start are added as the client counted them (a
    // table written before and after the start has those rows counted twice).
    let bytes = this.#before.bytes;
    for (const [relid, versions] of touched) {
      const written = await this.#sizesWritten(relid, versions);
      if (!written) continue;
      this.#checkSizes(written.table, written.sizes);
      bytes += written.sizes.bytes ?? 0;
    }
    if (bytes > this.#limits.maxBytes) {
      throw transactionRefusal(
        "transaction-size-limit",
        `${bytes} bytes written, index entries included; the limit is ${this.#limits.maxBytes}`,
      );
    }
  }

  async #layout(relid: string): Promise<Layout | undefined> {
    const cache = cacheOf(layouts, this.#key);
    if (!cache.has(relid)) {
      const row = (await this.#client.query(TABLE_LAYOUT, [relid])).rows[0] as Layout | undefined;
      cache.set(relid, row);
    }
    return cache.get(relid);
  }

  /** Sizes of the `versions` row versions written to table `relid`: by id when the ids cover them all. */
  async #sizesWritten(
    relid: string,
    versions: number,
  ): Promise<{ table: string; sizes: Record<string, number> } | undefined> {
    const layout = await this.#layout(relid);
    const ids = this.#ids.get(relid);
    const byId = ids !== undefined && ids.length === versions;
    const query = layout && sizeQuery(layout, byId ? ROWS_AT : OWN_ROWS);
    if (!layout || !query) return undefined;
    const result = await this.#client.query(query, byId ? [ids, ...idRange(ids)] : []);
    return { table: layout.name, sizes: result.rows[0] as Record<string, number> };
  }

  #checkSizes(table: string, sizes: Record<string, number>): void {
    const limits = this.#limits;
    const over: [string, number, number][] = [
      ["value-size-limit", sizes.value_bytes ?? 0, limits.maxValueBytes],
      ["row-size-limit", sizes.row_bytes ?? 0, limits.maxRowBytes],
      ["key-size-limit", sizes.key_bytes ?? 0, limits.maxKeyBytes],
    ];
    for (const [rule, seen, limit] of over) {
      if (seen > limit)
        throw transactionRefusal(rule, `${seen} bytes in ${table}; the limit is ${limit}`);
    }
  }
}
