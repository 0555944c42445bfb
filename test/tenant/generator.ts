/**
 * A random statement generator over the oracle schema, for the property
 * test. It aims at valid SQL (so that most cases run) with the shapes a
 * scope must get right: joins of every kind, subqueries in every clause,
 * LATERAL, CTEs (shadowing table names, recursive), set operations,
 * aggregates, windows, and writes with RETURNING and ON CONFLICT. A few
 * hostile statements (assigning or smuggling tenant ids) are mixed in: for
 * those the property is that the scope refuses them.
 *
 * It also draws the shapes of issue #12: row expansion (`t.*`, `(t).*`,
 * `(row(...)).*` in select lists and INSERT values), function calls (safe
 * built-ins, the declared `a_label()`, the undeclared `peek_total()` that reads
 * every tenant's orders), system columns in every notation, reference columns
 * pointing at A's or B's parents, and conditions that raise on some rows only
 * (overflow, casts, regexes built from data; B's larger ids and totals are the
 * rows they raise on).
 */
import fc from "fast-check";

/** Integer and text columns of one relation as the generator sees it. */
interface Source {
  ref: string;
  ints: string[];
  texts: string[];
}

interface Relation {
  ints: string[];
  texts: string[];
}

const TABLES: Record<string, Relation> = {
  customers: { ints: ["id"], texts: ["name", "region", "tenant_id"] },
  orders: { ints: ["id", "customer_id", "total"], texts: ["status", "tenant_id"] },
  items: { ints: ["id", "order_id", "product_id", "qty"], texts: ["tenant_id"] },
  products: { ints: ["id", "price"], texts: ["name"] },
  tags: { ints: ["id"], texts: ["label"] },
};
const SCOPED = ["customers", "orders", "items"];
const TEXTS = ["ann", "bob", "north", "south", "open", "paid", "A", "B", "pen"];
const CTE_NAMES = ["cte_a", "cte_b", "orders", "customers", "items"];
/** Parent ids for reference columns: A's, B's, missing ones and NULL. */
const CUSTOMER_IDS = ["1", "2", "4", "11", "13", "77", "NULL"];
const ORDER_IDS = ["1", "3", "5", "101", "104", "77", "NULL"];
/** Functions the property registry declares safe (they read no scoped table). */
export const DECLARED_FUNCTIONS = ["a_label"];
/** DDL for the user functions the generator calls, run on both oracle databases. */
export const FUNCTION_DDL = `
  CREATE FUNCTION a_label(v bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'L' || v::text $$;
  CREATE FUNCTION peek_total(v bigint) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT max(total) FROM orders WHERE id <> v $$;`;

/** A generated statement and its parameters (the tenant is 'A'). */
export interface GeneratedStatement {
  sql: string;
  params: unknown[];
  write: boolean;
}

/** The visible CTEs at a point: name → columns. */
type Ctes = ReadonlyMap<string, Relation>;

class Generator {
  private counter = 0;
  private freshId = 1000;
  readonly params: unknown[] = [];

  constructor(private readonly g: fc.GeneratorValue) {}

  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }

  alias(prefix = "t"): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  id(): number {
    this.freshId += 1;
    return this.freshId;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  // ------------------------------------------------------------ expressions

  column(sources: readonly Source[], kind: "int" | "text"): string | undefined {
    const candidates = sources.flatMap((s) =>
      (kind === "int" ? s.ints : s.texts).map((c) => `${s.ref}.${c}`),
    );
    return candidates.length > 0 ? this.pick(candidates) : undefined;
  }

  intExpr(depth: number, sources: readonly Source[], ctes: Ctes): string {
    const roll = this.int(0, 99);
    if (roll < 50) return this.column(sources, "int") ?? String(this.int(0, 100));
    if (roll < 60) return String(this.int(0, 100));
    if (roll < 62) return this.functionCall(sources);
    if (roll < 70 && depth > 0) {
      return `(${this.intExpr(depth - 1, sources, ctes)} + ${this.intExpr(depth - 1, sources, ctes)})`;
    }
    if (roll < 76 && depth > 0) {
      return `CASE WHEN ${this.predicate(depth - 1, sources, ctes)} THEN ${this.intExpr(depth - 1, sources, ctes)} ELSE ${this.intExpr(0, sources, ctes)} END`;
    }
    if (depth > 0) {
      const agg = this.pick([
        "count(*)",
        "coalesce(max(#), -1)",
        "coalesce(sum(#), 0)",
        "count(#)",
      ]);
      const sub = this.subquerySource(depth - 1, sources, ctes);
      const col = this.column(sub.sources, "int") ?? "1";
      return `(SELECT ${agg.replace("#", col)} FROM ${sub.from}${sub.where})`;
    }
    return String(this.int(0, 100));
  }

  predicate(depth: number, sources: readonly Source[], ctes: Ctes): string {
    const roll = this.int(0, 99);
    if (roll < 30 || depth <= 0) {
      const op = this.pick(["=", "<", ">", "<>", "<=", ">="]);
      return `${this.intExpr(0, sources, ctes)} ${op} ${this.intExpr(0, sources, ctes)}`;
    }
    if (roll < 40) {
      const col = this.column(sources, "text");
      if (col) return `${col} ${this.pick(["=", "<>"])} '${this.pick(TEXTS)}'`;
      return `${this.intExpr(0, sources, ctes)} IS NULL`;
    }
    if (roll < 46) return `${this.intExpr(0, sources, ctes)} IS ${this.pick(["", "NOT "])}NULL`;
    if (roll < 49) return this.otherPredicate(sources, ctes);
    if (roll < 52) return this.raisingPredicate(sources);
    if (roll < 58) {
      const sub = this.scalarSelect(depth - 1, sources, ctes);
      return `${this.intExpr(0, sources, ctes)} ${this.pick(["IN", "NOT IN"])} (${sub})`;
    }
    if (roll < 70) {
      const sub = this.subquerySource(depth - 1, sources, ctes);
      return `${this.pick(["EXISTS", "NOT EXISTS"])} (SELECT 1 FROM ${sub.from}${sub.where})`;
    }
    if (roll < 76) {
      const sub = this.scalarSelect(depth - 1, sources, ctes);
      return `${this.intExpr(0, sources, ctes)} ${this.pick(["=", ">", "<"])} ${this.pick(["ANY", "ALL"])} (${sub})`;
    }
    if (roll < 84) return `NOT (${this.predicate(depth - 1, sources, ctes)})`;
    const joiner = this.pick(["AND", "OR"]);
    return `(${this.predicate(depth - 1, sources, ctes)} ${joiner} ${this.predicate(depth - 1, sources, ctes)})`;
  }

  /**
   * An integer function call: safe built-ins mostly, now and then the
   * undeclared `peek_total()` (must be refused) or the declared `a_label()`.
   */
  functionCall(sources: readonly Source[]): string {
    const a = this.column(sources, "int") ?? String(this.int(0, 9));
    const t = this.column(sources, "text") ?? "'ann'";
    switch (this.int(0, 9)) {
      case 0:
        return `abs(${a} - ${this.int(0, 50)})`;
      case 1:
        return `length(${t})`;
      case 2:
        return `mod(${a}, ${this.int(2, 7)})`;
      case 3:
        return `length(a_label(${a}))`;
      case 4:
        return `coalesce(pg_catalog.int4larger(${a}, ${this.int(0, 9)}), 0)`;
      case 5:
        return `coalesce(peek_total(${a}), 0)`;
      case 6:
        return `position('n' in ${t})`;
      default:
        return `greatest(${a}, ${this.int(0, 20)})`;
    }
  }

  /**
   * A condition that raises on some rows only: B's ids (11+) and totals (70+)
   * overflow or fail a cast where A's never do, and a regex built from data is
   * invalid on B's rows. A scope must not evaluate it on another tenant's row.
   */
  raisingPredicate(sources: readonly Source[]): string {
    const a = this.column(sources, "int") ?? String(this.int(0, 9));
    const t = this.column(sources, "text") ?? "'ann'";
    switch (this.int(0, 4)) {
      case 0:
        return `${a} * ${this.pick([200000000, 30000000])} ${this.pick([">", "<>", "<"])} ${this.int(0, 9)}`;
      case 1:
        return `(${a} * 400)::smallint ${this.pick([">", "<="])} ${this.int(0, 900)}`;
      case 2:
        return `${t} ~ (CASE WHEN ${a} > 10 THEN '(' ELSE '^' END || 'a')`;
      case 3:
        return `${this.int(1, 9)} / (CASE WHEN ${a} > 10 THEN 0 ELSE 1 END) > 0`;
      default:
        return `${t} || ${a} ${this.pick(["=", "<>"])} $$ann1$$`;
    }
  }

  /** A system column of a source in one of its notations (always to be refused). */
  systemColumn(sources: readonly Source[]): string {
    const s = sources[0];
    const col = this.pick(["ctid", "xmin", "xmax", "cmin", "tableoid"]);
    if (s === undefined) return "ctid";
    return this.pick([
      `${s.ref}.${col}`,
      `${col}(${s.ref})`,
      `(${s.ref}).${col}`,
      `(${s.ref}.*).${col}`,
      ...(sources.length === 1 ? [col] : []),
    ]);
  }

  /** Less common syntax, so that the printer round trip meets it too. */
  otherPredicate(sources: readonly Source[], ctes: Ctes): string {
    const a = this.intExpr(0, sources, ctes);
    const list = () =>
      Array.from({ length: this.int(1, 4) }, () => String(this.int(0, 110))).join(", ");
    const text = this.column(sources, "text");
    switch (this.int(0, 7)) {
      case 0:
        return `${a} ${this.pick(["IN", "NOT IN"])} (${list()})`;
      case 1:
        return `${a} ${this.pick(["BETWEEN", "NOT BETWEEN"])} ${this.int(0, 50)} AND ${this.int(40, 110)}`;
      case 2:
        return `${a} IS ${this.pick(["", "NOT "])}DISTINCT FROM ${this.intExpr(0, sources, ctes)}`;
      case 3:
        return `${a} = ANY (ARRAY[${list()}])`;
      case 4:
        return `coalesce(nullif(${a}, ${this.int(0, 5)}), -1)::int > greatest(${this.int(0, 9)}, least(${a}, 50))`;
      case 5:
        return text
          ? `${text} ${this.pick(["LIKE", "ILIKE", "NOT LIKE"])} '${this.pick(["a%", "%n", "B", "%"])}'`
          : `${a} > 0`;
      case 6:
        return text
          ? `lower(${text}) || '!' = ${this.pick(["'ann!'", "'open!'", "'a!'"])}`
          : `${a} < 9`;
      default:
        return `(${a}, ${this.intExpr(0, sources, ctes)}) ${this.pick(["=", "<>", "<"])} (${this.int(0, 9)}, ${this.int(0, 99)})`;
    }
  }

  /** A FROM list plus WHERE for a subquery, correlated with `outer` sometimes. */
  subquerySource(
    depth: number,
    outer: readonly Source[],
    ctes: Ctes,
  ): { from: string; where: string; sources: Source[] } {
    const used = new Set<string>();
    const item = this.fromItem(depth, [], ctes, used, true);
    const all = [...item.sources, ...outer];
    const where = this.chance(65)
      ? ` WHERE ${this.predicate(Math.min(depth, 1), this.chance(50) ? all : item.sources, ctes)}`
      : "";
    return { from: item.sql, where, sources: item.sources };
  }

  /** A SELECT with exactly one integer output column named x. */
  scalarSelect(depth: number, outer: readonly Source[], ctes: Ctes): string {
    const roll = this.int(0, 99);
    if (roll < 15 && depth > 0) {
      const op = this.pick(["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]);
      return `(${this.scalarSelect(depth - 1, outer, ctes)}) ${op} (${this.scalarSelect(depth - 1, outer, ctes)})`;
    }
    if (roll < 30) {
      // ORDER BY a unique key so LIMIT is deterministic.
      const table = this.pick(Object.keys(TABLES));
      const ref = this.alias();
      const src: Source = { ref, ...(TABLES[table] as Relation) };
      const col = this.column([src], "int") ?? `${ref}.id`;
      const where = this.chance(50)
        ? ` WHERE ${this.predicate(Math.min(depth, 1), [src, ...outer], ctes)}`
        : "";
      return `SELECT ${col} AS x FROM public.${table} ${ref}${where} ORDER BY ${ref}.id ${this.pick(["", "DESC"])} LIMIT ${this.int(0, 4)}`;
    }
    const sub = this.subquerySource(depth, outer, ctes);
    if (this.chance(25)) {
      const col = this.column(sub.sources, "int") ?? "1";
      return `SELECT ${this.pick(["count(*)", "max(#)", "min(#)", "sum(#)"]).replace("#", col)} AS x FROM ${sub.from}${sub.where}`;
    }
    return `SELECT ${this.pick(["", "DISTINCT "])}${this.intExpr(0, sub.sources, ctes)} AS x FROM ${sub.from}${sub.where}`;
  }

  // ------------------------------------------------------------ FROM items

  relationItem(ctes: Ctes, used: Set<string>): { sql: string; sources: Source[]; base: boolean } {
    const names = [...Object.keys(TABLES), ...SCOPED, ...SCOPED, ...ctes.keys()];
    const name = this.pick(names);
    // A schema-qualified name is never a CTE, even where a CTE shadows it.
    const qualified = name in TABLES && this.chance(ctes.has(name) ? 40 : 20);
    const cte = qualified ? undefined : ctes.get(name);
    const relation = cte ?? (TABLES[name] as Relation);
    const sqlName = qualified ? `public.${name}` : name;
    let ref: string;
    let sql: string;
    if (!used.has(name) && this.chance(30)) {
      ref = name;
      sql = sqlName;
    } else {
      ref = this.alias();
      sql = `${sqlName} ${this.pick(["", "AS "])}${ref}`;
    }
    used.add(ref);
    return { sql, sources: [{ ref, ints: relation.ints, texts: relation.texts }], base: !cte };
  }

  fromItem(
    depth: number,
    left: readonly Source[],
    ctes: Ctes,
    used: Set<string>,
    allowJoin: boolean,
  ): { sql: string; sources: Source[]; base?: boolean } {
    const roll = this.int(0, 99);
    if (roll < 14 && depth > 0) {
      const ref = this.alias();
      used.add(ref);
      const lateral = left.length > 0 && this.chance(50);
      const inner = this.subquerySource(depth - 1, lateral ? left : [], ctes);
      const a = this.intExpr(0, inner.sources, ctes);
      const b = this.intExpr(0, inner.sources, ctes);
      let body = `SELECT ${a} AS c, ${b} AS d FROM ${inner.from}${inner.where}`;
      if (this.chance(25))
        body = `SELECT ${a} AS c, count(*) AS d FROM ${inner.from}${inner.where} GROUP BY 1`;
      return {
        sql: `${lateral ? "LATERAL " : ""}(${body}) AS ${ref}`,
        sources: [{ ref, ints: ["c", "d"], texts: [] }],
      };
    }
    if (roll < 20) {
      const ref = this.alias();
      used.add(ref);
      const rows = Array.from(
        { length: this.int(1, 3) },
        () => `(${this.int(0, 12)}, ${this.int(0, 100)})`,
      );
      return {
        sql: `(VALUES ${rows.join(", ")}) AS ${ref}(c, d)`,
        sources: [{ ref, ints: ["c", "d"], texts: [] }],
      };
    }
    if (roll < 55 && allowJoin && depth > 0) {
      const l = this.fromItem(depth - 1, left, ctes, used, true);
      const r = this.fromItem(depth - 1, [...left, ...l.sources], ctes, used, true);
      const type = this.pick([
        "JOIN",
        "LEFT JOIN",
        "RIGHT JOIN",
        "FULL JOIN",
        "CROSS JOIN",
        "INNER JOIN",
      ]);
      const lateralRight = r.sql.startsWith("LATERAL");
      if (type === "CROSS JOIN")
        return { sql: `${l.sql} CROSS JOIN ${r.sql}`, sources: [...l.sources, ...r.sources] };
      const lc = this.column(l.sources, "int") ?? "1";
      const rc = this.column(r.sources, "int") ?? "1";
      let on = `${lc} = ${rc}`;
      const full = type === "FULL JOIN";
      if (full && lateralRight)
        return { sql: `${l.sql} JOIN ${r.sql} ON ${on}`, sources: [...l.sources, ...r.sources] };
      if (type === "RIGHT JOIN" && lateralRight) {
        return {
          sql: `${l.sql} LEFT JOIN ${r.sql} ON ${on}`,
          sources: [...l.sources, ...r.sources],
        };
      }
      if (!full && this.chance(35))
        on += ` AND ${this.predicate(1, [...l.sources, ...r.sources], ctes)}`;
      if (l.base && r.base && this.chance(20)) {
        return {
          sql: `${l.sql} ${type} ${r.sql} USING (id)`,
          sources: [...l.sources, ...r.sources],
        };
      }
      const sql = `${l.sql} ${type} ${r.sql} ON ${on}`;
      if (!lateralRight && this.chance(8)) {
        const ref = this.alias("j");
        used.add(ref);
        return { sql: `(${sql}) AS ${ref}`, sources: [] };
      }
      return { sql: this.chance(30) ? `(${sql})` : sql, sources: [...l.sources, ...r.sources] };
    }
    return this.relationItem(ctes, used);
  }

  // ------------------------------------------------------------ statements

  withClause(depth: number, ctes: Ctes): { sql: string; ctes: Ctes } {
    if (!this.chance(25)) return { sql: "", ctes };
    const visible = new Map(ctes);
    const parts: string[] = [];
    if (this.chance(20)) {
      const name = this.pick(CTE_NAMES);
      const base = this.scalarSelect(Math.min(depth, 1), [], visible);
      parts.push(
        `${name}(x) AS ((${base}) UNION SELECT ${name}.x + 7 FROM ${name} WHERE ${name}.x < 60)`,
      );
      visible.set(name, { ints: ["x"], texts: [] });
      return { sql: `WITH RECURSIVE ${parts.join(", ")} `, ctes: visible };
    }
    const count = this.int(1, 2);
    for (let i = 0; i < count; i++) {
      const name = this.pick(CTE_NAMES.filter((n) => !parts.some((p) => p.startsWith(`${n}(`))));
      if (this.chance(50)) {
        parts.push(`${name}(x) AS (${this.scalarSelect(depth, [], visible)})`);
        visible.set(name, { ints: ["x"], texts: [] });
      } else {
        const used = new Set<string>();
        const item = this.fromItem(depth, [], visible, used, true);
        const where = this.chance(50) ? ` WHERE ${this.predicate(1, item.sources, visible)}` : "";
        const a = this.intExpr(0, item.sources, visible);
        const t = this.column(item.sources, "text") ?? "'none'";
        parts.push(
          `${name}(x, y, label) AS (SELECT ${a}, ${this.intExpr(0, item.sources, visible)}, ${t} FROM ${item.sql}${where})`,
        );
        visible.set(name, { ints: ["x", "y"], texts: ["label"] });
      }
    }
    return { sql: `WITH ${parts.join(", ")} `, ctes: visible };
  }

  select(depth: number): string {
    const w = this.withClause(depth, new Map());
    if (this.chance(12)) {
      return `${w.sql}SELECT q.x FROM (${this.scalarSelect(depth, [], w.ctes)}) q`;
    }
    const used = new Set<string>();
    const items = [this.fromItem(depth, [], w.ctes, used, true)];
    if (this.chance(25))
      items.push(this.fromItem(depth - 1, items[0]?.sources ?? [], w.ctes, used, false));
    const sources = items.flatMap((i) => i.sources);
    const where = this.chance(70) ? ` WHERE ${this.predicate(depth, sources, w.ctes)}` : "";
    const from = items.map((i) => i.sql).join(", ");
    const roll = this.int(0, 99);
    if (roll < 20) {
      const g = this.column(sources, "int") ?? this.column(sources, "text") ?? "1";
      const v = this.column(sources, "int") ?? "1";
      const having = this.chance(30) ? ` HAVING count(*) > ${this.int(0, 2)}` : "";
      return `${w.sql}SELECT ${g} AS g, count(*) AS n, sum(${v}) AS s FROM ${from}${where} GROUP BY 1${having}`;
    }
    if (roll < 30) {
      const v = this.column(sources, "int") ?? "1";
      return `${w.sql}SELECT ${v} AS v, count(*) OVER () AS n, rank() OVER (ORDER BY ${v}) AS r FROM ${from}${where}`;
    }
    if (roll < 34 && sources.length > 0) {
      const s = this.pick(sources);
      const expansion = this.pick([
        `${s.ref}.*`,
        `(${s.ref}).*`,
        `(row(${this.intExpr(0, sources, w.ctes)}, ${this.column(sources, "text") ?? "'x'"})).*`,
      ]);
      return `${w.sql}SELECT ${expansion} FROM ${from}${where}`;
    }
    if (roll < 36) return `${w.sql}SELECT ${this.systemColumn(sources)} AS s FROM ${from}${where}`;
    const cols = Array.from({ length: this.int(1, 3) }, (_, i) =>
      this.chance(75)
        ? `${this.intExpr(depth, sources, w.ctes)} AS c${i}`
        : `${this.column(sources, "text") ?? "'x'"} AS c${i}`,
    );
    const distinct = this.chance(10) ? "DISTINCT " : "";
    const order = this.chance(20)
      ? ` ORDER BY ${cols.map((_, i) => `c${i}`).join(", ")} LIMIT ${this.int(1, 6)}`
      : "";
    return `${w.sql}SELECT ${distinct}${cols.join(", ")} FROM ${from}${where}${order}`;
  }

  tenantValue(): string | undefined {
    const roll = this.int(0, 99);
    if (roll < 60) return undefined;
    if (roll < 80) return "DEFAULT";
    if (roll < 92) return this.param("A");
    if (roll < 95) return this.param("B");
    return this.pick(["'A'", "'B'", "lower('A')"]);
  }

  insert(depth: number): string {
    const table = this.pick([...SCOPED, "tags"]);
    const relation = TABLES[table] as Relation;
    const cols = relation.ints.filter((c) => c !== "id");
    const texts = relation.texts.filter((c) => c !== "tenant_id");
    const scoped = SCOPED.includes(table);
    const returning = this.chance(40)
      ? ` RETURNING ${table}.id, ${this.intExpr(1, [{ ref: table, ...relation }], new Map())}`
      : "";
    if (this.chance(30)) {
      // INSERT ... SELECT from one scoped table, fresh ids.
      const source = this.pick(SCOPED);
      const ref = this.alias();
      const src: Source = { ref, ...(TABLES[source] as Relation) };
      const offset = 5000 + this.int(0, 9) * 1000;
      const where = this.chance(60) ? ` WHERE ${this.predicate(1, [src], new Map())}` : "";
      const values = cols.map(() => this.intExpr(Math.min(depth, 2), [src], new Map()));
      const roll = this.int(0, 99);
      let tenant: string | undefined;
      if (scoped && roll < 10) tenant = this.param("A");
      else if (scoped && roll < 13) tenant = this.param("B");
      else if (scoped && roll < 16) tenant = `${ref}.tenant_id`;
      const names = ["id", ...cols, ...(tenant ? ["tenant_id"] : [])];
      const exprs = [`${ref}.id + ${offset}`, ...values, ...(tenant ? [tenant] : [])];
      return `INSERT INTO ${table} (${names.join(", ")}) SELECT ${exprs.join(", ")} FROM ${source} ${ref}${where}${returning}`;
    }
    const rows = this.int(1, 3);
    const tenant = scoped ? this.tenantValue() : undefined;
    const upsert = this.chance(35);
    const names = ["id", ...cols, ...texts, ...(tenant ? ["tenant_id"] : [])];
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      const id = upsert && r === 0 ? this.int(1, 5) : this.id();
      const values = [
        String(id),
        ...cols.map(() =>
          this.chance(20) ? this.intExpr(1, [], new Map()) : String(this.int(0, 100)),
        ),
        ...texts.map(() => `'${this.pick(TEXTS)}'`),
        ...(tenant ? [tenant] : []),
      ];
      lines.push(`(${values.join(", ")})`);
    }
    let conflict = "";
    if (upsert) {
      const set = cols.length > 0 ? this.pick(cols) : "id";
      conflict = this.pick([
        " ON CONFLICT DO NOTHING",
        ` ON CONFLICT (id) DO UPDATE SET ${set} = excluded.${set}`,
        ` ON CONFLICT (id) DO UPDATE SET ${set} = ${this.intExpr(1, [{ ref: table, ...relation }], new Map())} WHERE ${table}.id < ${this.int(1, 6)}`,
      ]);
      if (scoped && this.chance(5))
        conflict = " ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id";
      if (set === "id") conflict = " ON CONFLICT DO NOTHING";
    }
    return `INSERT INTO ${table} (${names.join(", ")}) VALUES ${lines.join(", ")}${conflict}${returning}`;
  }

  update(depth: number): string {
    const table = this.pick([...SCOPED, "tags"]);
    const relation = TABLES[table] as Relation;
    const ref = this.chance(50) ? this.alias() : table;
    const target: Source = { ref, ...relation };
    const w = this.withClause(depth - 1, new Map());
    const cols = relation.ints.filter((c) => c !== "id");
    const sets: string[] = [];
    const used = new Set<string>([ref]);
    let from = "";
    let sources: Source[] = [target];
    if (this.chance(30)) {
      const item = this.fromItem(depth - 1, [], w.ctes, used, true);
      from = ` FROM ${item.sql}`;
      sources = [target, ...item.sources];
    }
    if (cols.length > 0) {
      const col = this.pick(cols);
      // With FROM, only values of the target row: several joined rows must agree.
      sets.push(`${col} = ${from ? `${ref}.${col} + 1` : this.intExpr(depth, [target], w.ctes)}`);
    }
    const texts = relation.texts.filter((c) => c !== "tenant_id");
    if (texts.length > 0 && this.chance(40))
      sets.push(`${this.pick(texts)} = '${this.pick(TEXTS)}'`);
    if (table !== "tags" && this.chance(4))
      sets.push(`tenant_id = ${this.pick(["'B'", "'A'", this.param("A")])}`);
    if (sets.length === 0) sets.push(`id = ${ref}.id`);
    const where = this.chance(75) ? ` WHERE ${this.predicate(depth, sources, w.ctes)}` : "";
    const returning = this.chance(30)
      ? ` RETURNING ${ref}.id, ${this.intExpr(1, [target], w.ctes)}`
      : "";
    const alias = ref === table ? "" : ` AS ${ref}`;
    return `${w.sql}UPDATE ${table}${alias} SET ${sets.join(", ")}${from}${where}${returning}`;
  }

  delete(depth: number): string {
    const table = this.pick([...SCOPED, "tags"]);
    const relation = TABLES[table] as Relation;
    const ref = this.chance(50) ? this.alias() : table;
    const target: Source = { ref, ...relation };
    const alias = ref === table ? "" : ` AS ${ref}`;
    const returning = this.chance(30)
      ? ` RETURNING ${ref}.id, ${this.intExpr(1, [target], new Map())}`
      : "";
    if (this.chance(25)) {
      const inner = this.alias();
      return `DELETE FROM ${table}${alias} WHERE ${ref}.id IN (SELECT ${inner}.id FROM ${table} ${inner} ORDER BY ${inner}.id LIMIT ${this.int(1, 3)})${returning}`;
    }
    const used = new Set<string>([ref]);
    let using = "";
    let sources: Source[] = [target];
    if (this.chance(30)) {
      const item = this.fromItem(depth - 1, [], new Map(), used, true);
      using = ` USING ${item.sql}`;
      sources = [target, ...item.sources];
    }
    const where = this.chance(85) ? ` WHERE ${this.predicate(depth, sources, new Map())}` : "";
    return `DELETE FROM ${table}${alias}${using}${where}${returning}`;
  }

  statement(): GeneratedStatement {
    const depth = this.int(1, 3);
    const roll = this.int(0, 99);
    if (roll < 50) return { sql: this.select(depth), params: this.params, write: false };
    if (roll < 53) return { sql: this.expansionInsert(), params: this.params, write: true };
    if (roll < 55) return { sql: this.referenceWrite(), params: this.params, write: true };
    if (roll < 65) {
      const sql = `${this.scalarSelect(depth, [], new Map())}`;
      return { sql, params: this.params, write: false };
    }
    if (roll < 78) return { sql: this.insert(depth), params: this.params, write: true };
    if (roll < 88) return { sql: this.update(depth), params: this.params, write: true };
    if (roll < 96) return { sql: this.delete(depth), params: this.params, write: true };
    return { sql: this.writingCte(depth), params: this.params, write: true };
  }

  /**
   * An INSERT whose VALUES or SELECT expand a row: harmless expansions of
   * non-tenant columns, and hostile ones that smuggle 'B' (or a checked
   * parameter) into tenant_id, which the scope must refuse.
   */
  expansionInsert(): string {
    const id = this.id();
    switch (this.int(0, 5)) {
      case 0:
        return `INSERT INTO orders (id, total, status) VALUES ((row(${id}, ${this.int(0, 60)})).*, 'open') RETURNING id, total`;
      case 1:
        return `INSERT INTO orders (id, tenant_id, status) VALUES ((row(${id}, ${this.pick(["'B'", "'A'", this.param("A")])})).*, ${this.pick(["'open'", this.param("A")])})`;
      case 2:
        return `INSERT INTO orders (id, tenant_id, customer_id, total, status) SELECT (o.id + ${id}), (o).tenant_id, o.customer_id, o.total, o.status FROM orders o WHERE o.id < ${this.int(2, 6)}`;
      case 3:
        return `INSERT INTO customers SELECT (c.id + ${id}), (c).tenant_id, c.name, c.region FROM customers c WHERE c.id = ${this.pick(["1", "11"])}`;
      case 4:
        return `INSERT INTO customers SELECT (x).* FROM (SELECT c.id + ${id}, c.tenant_id, c.name, c.region FROM customers c WHERE c.id < ${this.pick(["3", "12"])}) x`;
      default:
        return `INSERT INTO items (id, qty) VALUES ((row(${id}, ${this.int(1, 9)})).*) RETURNING *`;
    }
  }

  /** A write of a reference column, to A's parents, B's, a missing one or NULL. */
  referenceWrite(): string {
    const id = this.id();
    const order = this.pick(ORDER_IDS);
    const customer = this.pick(CUSTOMER_IDS);
    switch (this.int(0, 4)) {
      case 0:
        return `INSERT INTO items (id, order_id, qty) VALUES (${id}, ${order}, 1)${this.pick(["", " RETURNING id, order_id"])}`;
      case 1:
        return `INSERT INTO orders (id, customer_id, total) VALUES (${id}, ${customer}, 5), (${this.id()}, ${this.pick(CUSTOMER_IDS)}, 6)`;
      case 2:
        return `UPDATE items SET order_id = ${order} WHERE id = ${this.int(1, 5)}`;
      case 3:
        return `INSERT INTO items (id, order_id, qty) SELECT i.id + ${id}, ${this.pick(["i.order_id", order, "o.id"])}, i.qty FROM items i JOIN orders o ON o.id = i.order_id WHERE i.id < 4`;
      default:
        return `INSERT INTO orders (id, customer_id) VALUES (${this.int(1, 5)}, 1) ON CONFLICT (id) DO UPDATE SET customer_id = ${customer}`;
    }
  }

  /** A data-modifying CTE read by the main statement. */
  writingCte(depth: number): string {
    const table = this.pick(SCOPED);
    const relation = TABLES[table] as Relation;
    const target: Source = { ref: table, ...relation };
    const where = this.predicate(Math.min(depth, 2), [target], new Map());
    const cols = relation.ints.filter((c) => c !== "id");
    const col = cols.length > 0 ? this.pick(cols) : undefined;
    const body =
      col && this.chance(50)
        ? `UPDATE ${table} SET ${col} = ${table}.${col} + 1 WHERE ${where} RETURNING ${table}.id`
        : `DELETE FROM ${table} WHERE ${where} RETURNING ${table}.id`;
    const tail = this.pick([
      "SELECT count(*) FROM w",
      "SELECT w.id, c.name FROM w LEFT JOIN customers c ON c.id = w.id",
      "SELECT w.id FROM w WHERE w.id IN (SELECT order_id FROM items)",
    ]);
    return `WITH w AS (${body}) ${tail}`;
  }
}

/** Draws one random statement over the oracle schema from a fast-check generator. */
export function generateStatement(g: fc.GeneratorValue): GeneratedStatement {
  return new Generator(g).statement();
}
