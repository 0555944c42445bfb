import { eq, sql } from "drizzle-orm";
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  arrayContains,
  arrayOverlaps,
  DsqlDecodeError,
  DsqlEncodeError,
  DsqlError,
  drizzle,
  jsonContains,
  jsonGet,
  jsonText,
  textArray,
} from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

type Prefs = { theme: string; nested?: { list: unknown[] }; note?: string };

const docs = pgTable("docs", {
  id: uuid("id").primaryKey().defaultRandom(),
  label: text("label").notNull(),
  prefs: jsonText<Prefs>("prefs"),
  tags: textArray("tags"),
  legacy: textArray("legacy", { format: "csv" }),
});

const tricky: { label: string; prefs: Prefs; tags: string[] }[] = [
  { label: "commas", prefs: { theme: "a,b,c" }, tags: ["a,b", "c,", ",d"] },
  { label: "quotes", prefs: { theme: `"quoted" 'single'` }, tags: [`"`, `'`, `""`, "{}"] },
  { label: "backslashes", prefs: { theme: "C:\\path\\to" }, tags: ["\\", "\\\\n", "\\u0000"] },
  {
    label: "unicode",
    prefs: { theme: "日本語 ✓ 🚀", note: "\u2028\u2029" },
    tags: ["é", "🚀", "ß"],
  },
  { label: "empty", prefs: { theme: "" }, tags: [] },
  { label: "empty-strings", prefs: { theme: "x" }, tags: ["", ""] },
  {
    label: "nested",
    prefs: { theme: "n", nested: { list: [1, [2, { three: null }], "x", true] } },
    tags: ["NULL", "null"],
  },
];

describe.each(backends)("column helpers on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<{ docs: typeof docs }>>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({ connection: fresh.connection, schema: { docs } });
    await db.execute(
      sql`create table docs (id uuid primary key default gen_random_uuid(), label text not null, prefs text, tags text, legacy text)`,
    );
    await db.insert(docs).values(tricky);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("round-trips every tricky value exactly", async () => {
    const rows = await db.select().from(docs);
    for (const want of tricky) {
      const got = rows.find((r) => r.label === want.label);
      expect(got?.prefs).toEqual(want.prefs);
      expect(got?.tags).toEqual(want.tags);
    }
  });

  it.skipIf(skip)("round-trips through the relational API", async () => {
    const rows = await db.query.docs.findMany({
      columns: { label: true, prefs: true, tags: true },
    });
    expect(rows.find((r) => r.label === "nested")?.prefs).toEqual(tricky[6]?.prefs);
    expect(rows.find((r) => r.label === "empty")?.tags).toEqual([]);
  });

  it.skipIf(skip)("stores both as text in the catalog", async () => {
    const result = await db.execute<{ column_name: string; data_type: string }>(
      sql`select column_name, data_type from information_schema.columns where table_name = 'docs' and column_name in ('prefs', 'tags', 'legacy')`,
    );
    expect(result.rows.map((r) => r.data_type)).toEqual(["text", "text", "text"]);
  });

  it.skipIf(skip)(
    "reads PostgreSQL array literals (a migrated text[] default, text().array() writes) and queries them",
    async () => {
      await db.execute(
        sql`insert into docs (label, tags) values ('lit-values', '{x,"y z","q\\"t"}'), ('lit-empty', '{}')`,
      );
      const read = await db
        .select({ label: docs.label, tags: docs.tags })
        .from(docs)
        .where(sql`${docs.label} in ('lit-values', 'lit-empty')`)
        .orderBy(docs.label);
      expect(read).toEqual([
        { label: "lit-empty", tags: [] },
        { label: "lit-values", tags: ["x", "y z", 'q"t'] },
      ]);
      const found = await db
        .select({ label: docs.label })
        .from(docs)
        .where(arrayOverlaps(docs.tags, ["y z"]));
      expect(found).toEqual([{ label: "lit-values" }]);
      await db.execute(sql`delete from docs where label in ('lit-values', 'lit-empty')`);
    },
  );

  it.skipIf(skip)("finds rows inside TEXT JSON with the query helpers", async () => {
    const byPath = await db
      .select({ label: docs.label })
      .from(docs)
      .where(eq(jsonGet(docs.prefs, "theme"), "a,b,c"));
    expect(byPath).toEqual([{ label: "commas" }]);
    const deep = await db
      .select({ v: jsonGet(docs.prefs, "nested", "list", 1, 1, "three") })
      .from(docs)
      .where(eq(docs.label, "nested"));
    expect(deep).toEqual([{ v: null }]);
    const contains = await db
      .select({ label: docs.label })
      .from(docs)
      .where(jsonContains(docs.prefs, { theme: "日本語 ✓ 🚀" }));
    expect(contains).toEqual([{ label: "unicode" }]);
    const all = await db
      .select({ label: docs.label })
      .from(docs)
      .where(arrayContains(docs.tags, ["a,b", "c,"]));
    expect(all).toEqual([{ label: "commas" }]);
    const none = await db
      .select({ label: docs.label })
      .from(docs)
      .where(arrayContains(docs.tags, ["a,b", "nope"]));
    expect(none).toEqual([]);
    const some = await db
      .select({ label: docs.label })
      .from(docs)
      .where(arrayOverlaps(docs.tags, ["🚀", `"`]));
    expect(some.map((r) => r.label).sort()).toEqual(["quotes", "unicode"]);
  });

  it.skipIf(skip)(
    "raises DsqlDecodeError naming table and column for bad stored JSON",
    async () => {
      await db.execute(
        sql`insert into docs (label, prefs, tags) values ('bad', '{not json', '["ok"]')`,
      );
      const error = await db
        .select()
        .from(docs)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlDecodeError);
      expect((error as DsqlDecodeError).column).toBe("docs.prefs");
      expect((error as Error).message).toContain("docs.prefs");
      await db.execute(sql`update docs set prefs = '"ok"', tags = '[1,2]' where label = 'bad'`);
      const arrayError = await db
        .select()
        .from(docs)
        .catch((e: unknown) => e);
      expect(arrayError).toBeInstanceOf(DsqlDecodeError);
      expect((arrayError as DsqlDecodeError).column).toBe("docs.tags");
      await db.execute(sql`delete from docs where label = 'bad'`);
    },
  );

  it.skipIf(skip)("csv format round-trips and refuses elements holding the delimiter", async () => {
    const [row] = await db
      .insert(docs)
      .values({ label: "csv", legacy: ["a", "b c", ""] })
      .returning();
    expect(row?.legacy).toEqual(["a", "b c", ""]);
    const stored = await db.execute<{ legacy: string }>(
      sql`select legacy from docs where label = 'csv'`,
    );
    expect(stored.rows[0]?.legacy).toBe("a,b c,");
    const found = await db
      .select({ label: docs.label })
      .from(docs)
      .where(arrayContains(docs.legacy, ["b c"]));
    expect(found).toEqual([{ label: "csv" }]);
    // Drizzle encodes values while building the statement, before anything is sent.
    const refused = await (async () =>
      db.insert(docs).values({ label: "csv-bad", legacy: ["a,b"] }))().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DsqlError);
    expect((refused as Error).message).toContain("delimiter");
    const count = await db.$count(docs, eq(docs.label, "csv-bad"));
    expect(count).toBe(0);
    await db.delete(docs).where(eq(docs.label, "csv"));
  });

  it.skipIf(skip)(
    "jsonText refuses what JSON would not read back as itself, naming the column, writing nothing",
    async () => {
      const cyclic: Record<string, unknown> = { theme: "c" };
      cyclic.self = cyclic;
      const lossy: [string, unknown][] = [
        ["NaN", { theme: "x", nested: { list: [Number.NaN] } }],
        ["Infinity", { theme: "x", n: Number.POSITIVE_INFINITY }],
        ["-Infinity", [Number.NEGATIVE_INFINITY]],
        ["-0", { theme: "x", n: -0 }],
        ["Date", { theme: "x", at: new Date(0) }],
        ["BigInt", { theme: "x", n: 10n }],
        ["undefined in array", { theme: "x", nested: { list: [1, undefined] } }],
        ["undefined property", { theme: "x", note: undefined }],
        ["hole", { theme: "x", nested: { list: new Array(3) } }],
        ["Map", { theme: "x", m: new Map([["a", 1]]) }],
        ["Set", new Set(["a"])],
        ["function", { theme: "x", f: () => 1 }],
        ["symbol", { theme: "x", s: Symbol("s") }],
        ["cycle", cyclic],
      ];
      for (const [what, prefs] of lossy) {
        const error = await (async () =>
          db.insert(docs).values({ label: `lossy-${what}`, prefs: prefs as Prefs }))().catch(
          (e: unknown) => e,
        );
        expect(error, what).toBeInstanceOf(DsqlEncodeError);
        expect((error as DsqlEncodeError).column, what).toBe("docs.prefs");
      }
      const written = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from docs where label like 'lossy-%'`,
      );
      expect(written.rows[0]?.n).toBe(0);
      // What JSON does hold reads back exactly.
      const exact = {
        theme: "x",
        nested: { list: [0, 1.5, -2e-300, Number.MAX_SAFE_INTEGER, "\ud800", null, [], {}] },
      };
      const [row] = await db.insert(docs).values({ label: "exact", prefs: exact }).returning();
      expect(row?.prefs).toStrictEqual(exact);
      const [read] = await db.select().from(docs).where(eq(docs.label, "exact"));
      expect(read?.prefs).toStrictEqual(exact);
      await db.delete(docs).where(eq(docs.label, "exact"));
    },
  );

  it.skipIf(skip)(
    "textArray csv with a multi-character delimiter round-trips exactly or refuses",
    async () => {
      const piped = pgTable("piped", {
        id: uuid("id").primaryKey().defaultRandom(),
        items: textArray("items", { format: "csv", delimiter: "||" }),
      });
      await db.execute(
        sql`create table piped (id uuid primary key default gen_random_uuid(), items text)`,
      );
      for (const items of [["a|", "b"], ["|", "|"], ["x||y"], [""]]) {
        const error = await (async () => db.insert(piped).values({ items }))().catch(
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(items)).toBeInstanceOf(DsqlEncodeError);
        expect((error as DsqlEncodeError).column).toBe("piped.items");
      }
      expect(await db.$count(piped)).toBe(0);
      for (const items of [["a", "b"], ["a", "|b"], ["|a", "b"], ["", ""], [], ["a|b", "c"]]) {
        const [row] = await db.insert(piped).values({ items }).returning();
        const [read] = await db
          .select()
          .from(piped)
          .where(eq(piped.id, row?.id ?? ""));
        expect(read?.items, JSON.stringify(items)).toStrictEqual(items);
      }
    },
  );
});

describe("column defaults", () => {
  it("render valid text DDL through drizzle-kit's sql default", async () => {
    const { getTableConfig } = await import("drizzle-orm/pg-core");
    const withDefaults = pgTable("d", {
      prefs: jsonText<{ a: number }>("prefs").default(sql`'{"a":1}'`),
      tags: textArray("tags").$defaultFn(() => []),
    });
    const [prefs, tags] = getTableConfig(withDefaults).columns;
    expect(prefs?.getSQLType()).toBe("text");
    expect(tags?.getSQLType()).toBe("text");
    expect(tags?.defaultFn?.()).toEqual([]);
  });
});
