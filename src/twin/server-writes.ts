import type { Queryable } from "./jobs.js";
import type { TwinLimits } from "./limits.js";
import { transactionRefusal } from "./refusal.js";

type Counters = Map<number, number>;

// Rows each user table gained, changed or lost in this transaction so far
// (cascades and rows written by functions included). DSQL's own `sys` schema
// is left out: DSQL writes its job rows itself.
const ROW_COUNTERS = `select relid::int as relid, (n_tup_ins + n_tup_upd + n_tup_del)::float8 as n,
  (n_tup_ins + n_tup_upd)::float8 as written
  from pg_stat_xact_user_tables where schemaname <> 'sys'`;

// Each column's logical size expression (uncompressed bytes), whether it is
// a value DSQL caps at 1 MiB, and the key columns of each index.
const TABLE_LAYOUT = `select
  format('%I.%I', n.nspname, c.relname) as name,
  (select json_agg(json_build_array(a.attnum, a.attname, t.typname, t.typcategory) order by a.attnum)
     from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select coalesce(json_agg(json_build_array(i.indisprimary,
      (select json_agg(k) from unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) k))), '[]')
     from pg_index i where i.indrelid = c.oid) as indexes
  from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = $1`;

// Rows whose current version this transaction wrote.
const OWN_ROWS = "t.xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text";

interface Layout {
  name: string;
  columns: [number, string, string, string][];
  indexes: [boolean, number[] | null][];
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Uncompressed bytes of one column's value, as SQL. */
function sizeOf(column: string, typname: string): string {
  const ref = `t.${quoteIdent(column)}`;
  if (typname === "bytea" || typname === "text" || typname === "varchar" || typname === "bpchar")
    return `coalesce(octet_length(${ref}), 0)`;
  if (typname === "json" || typname === "jsonb") return `coalesce(octet_length(${ref}::text), 0)`;
  return `coalesce(pg_column_size(${ref}), 0)`;
}

const CAPPED = new Set(["bytea", "text", "varchar", "bpchar", "json", "jsonb"]);

function sizeQuery(layout: Layout): string | undefined {
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
    from ${layout.name} t where ${OWN_ROWS}) s`;
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
 * and over-counts what DSQL measures. The cost is one scan of each table the
 * transaction wrote to, once per transaction.
 */
export class ServerWrites {
  readonly #client: Queryable;
  readonly #limits: TwinLimits;
  #baseline: Counters = new Map();

  private constructor(client: Queryable, limits: TwinLimits) {
    this.#client = client;
    this.#limits = limits;
  }

  /** Starts counting on `client`, which must be inside the transaction. */
  static async start(client: Queryable, limits: TwinLimits): Promise<ServerWrites> {
    const writes = new ServerWrites(client, limits);
    writes.#baseline = (await writes.#counters()).changed;
    return writes;
  }

  async #counters(): Promise<{ changed: Counters; written: Counters }> {
    const result = await this.#client.query(ROW_COUNTERS);
    const changed: Counters = new Map();
    const written: Counters = new Map();
    for (const row of result.rows as { relid: number; n: number; written: number }[]) {
      changed.set(row.relid, row.n);
      written.set(row.relid, row.written);
    }
    return { changed, written };
  }

  /** Throws DSQL's row-limit refusal when the transaction changed too many rows. */
  async checkRows(): Promise<Set<number>> {
    const { changed, written } = await this.#counters();
    let rows = 0;
    const touched = new Set<number>();
    for (const [relid, n] of changed) {
      const delta = n - (this.#baseline.get(relid) ?? 0);
      rows += delta;
      if ((written.get(relid) ?? 0) > 0 && delta > 0) touched.add(relid);
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
    let bytes = 0;
    for (const relid of touched) {
      const layout = (await this.#client.query(TABLE_LAYOUT, [relid])).rows[0] as
        | Layout
        | undefined;
      const query = layout && sizeQuery(layout);
      if (!layout || !query) continue;
      const sizes = (await this.#client.query(query)).rows[0] as Record<string, number>;
      this.#checkSizes(layout.name, sizes);
      bytes += sizes.bytes ?? 0;
    }
    if (bytes > this.#limits.maxBytes) {
      throw transactionRefusal(
        "transaction-size-limit",
        `${bytes} bytes written, index entries included; the limit is ${this.#limits.maxBytes}`,
      );
    }
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
