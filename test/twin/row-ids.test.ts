import { eq, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlLimitError, drizzle } from "../../src/index.js";
import { backends, freshConnection, itOnPostgres } from "../support/databases.js";

// The twin sizes what an INSERT or UPDATE wrote by the row ids it returns
// (RETURNING added to the statement, taken off its result again), instead of
// scanning the table; these cases check that the caller sees the statement
// as written and that the counts stay what the scan counted.

const KiB = 1024;
const docs = pgTable("rid_docs", { id: integer("id").primaryKey(), v: text("v") });

describe.each(backends)("row ids of what the twin wrote, on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle>;
  let connection: string;
  let drop: () => Promise<void>;

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as DsqlLimitError,
    );

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    connection = fresh.connection;
    // 1,500 KiB per transaction: two 600 KiB row versions fit, three do not.
    db = drizzle({ connection, twinLimits: { maxBytes: 1500 * KiB } });
    await db.execute(sql`create table rid_docs (id integer primary key, v text)`);
    await db.execute(sql`create table rid_log (id integer primary key, note text)`);
    await db.execute(sql`create view rid_view as select id, v from rid_docs`);
    await db.execute(
      sql.raw(
        "create function rid_note(n integer, size integer) returns integer language sql as " +
          "'insert into rid_log (id, note) values (n, repeat(''n'', size)) returning id'",
      ),
    );
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("returns what the statement as written returns", async () => {
    await db.delete(docs);
    await db.insert(docs).values([
      { id: 1, v: "a" },
      { id: 2, v: "b" },
    ]);
    // Builder with RETURNING (rows as arrays), builder without, raw SQL (rows as objects).
    const returned = await db
      .update(docs)
      .set({ v: sql`${docs.v} || 'x'` })
      .where(eq(docs.id, 1))
      .returning({ id: docs.id, v: docs.v });
    expect(returned).toEqual([{ id: 1, v: "ax" }]);
    const plain = await db
      .update(docs)
      .set({ v: sql`${docs.v} || 'y'` })
      .where(eq(docs.id, 2));
    expect(plain.rowCount).toBe(1);
    expect(plain.rows).toEqual([]);
    expect(plain.fields).toEqual([]);
    const raw = await db.execute(sql`update rid_docs set v = v || 'z' returning *`);
    expect(raw.rowCount).toBe(2);
    expect(raw.fields.map((f) => f.name)).toEqual(["id", "v"]);
    expect([...raw.rows].sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { id: 1, v: "axz" },
      { id: 2, v: "byz" },
    ]);
    const upserted = await db
      .insert(docs)
      .values({ id: 1, v: sql`repeat('u', 3)` })
      .onConflictDoUpdate({ target: docs.id, set: { v: sql`excluded.v || '!'` } })
      .returning();
    expect(upserted).toEqual([{ id: 1, v: "uuu!" }]);
    const inTx = await db.transaction(async (tx) => {
      await tx.update(docs).set({ v: "t" }).where(eq(docs.id, 2));
      return tx.insert(docs).values({ id: 3, v: "c" }).returning({ id: docs.id });
    });
    expect(inTx).toEqual([{ id: 3 }]);
    const rows = await db.select().from(docs).orderBy(docs.id);
    expect(rows).toEqual([
      { id: 1, v: "uuu!" },
      { id: 2, v: "t" },
      { id: 3, v: "c" },
    ]);
  });

  it.skipIf(skip)("runs named prepared statements with and without row ids", async () => {
    await db.delete(docs);
    const insert = db
      .insert(docs)
      .values({ id: sql.placeholder("id"), v: sql.placeholder("v") })
      .prepare("rid_insert");
    const update = db
      .update(docs)
      .set({ v: sql`${sql.placeholder("v")}` })
      .where(eq(docs.id, sql.placeholder("id")))
      .prepare("rid_update");
    // A small INSERT alone needs no server count (sent as written); after an
    // UPDATE in the same transaction it is sent with row ids: two texts, two names.
    for (let round = 0; round < 2; round++) {
      await insert.execute({ id: 10 + round, v: "p" });
      await update.execute({ id: 10 + round, v: "q" });
      await db.transaction(async (tx) => {
        await tx.update(docs).set({ v: "r" }).where(eq(docs.id, 10));
        await tx.execute(sql`insert into rid_docs (id, v) values (${20 + round}, 's')`);
      });
    }
    const rows = await db.select().from(docs).orderBy(docs.id);
    expect(rows).toEqual([
      { id: 10, v: "r" },
      { id: 11, v: "q" },
      { id: 20, v: "s" },
      { id: 21, v: "s" },
    ]);
  });

  it.skipIf(skip)("writes through an updatable view as PostgreSQL does", async () => {
    await db.delete(docs);
    await db.execute(sql`insert into rid_view (id, v) values (30, 'view')`);
    const updated = await db.execute(sql`update rid_view set v = 'seen' where id = 30`);
    expect(updated.rowCount).toBe(1);
    const rows = await db.select().from(docs);
    expect(rows).toEqual([{ id: 30, v: "seen" }]);
  });

  it.skipIf(skip)(
    "counts a row inserted then updated in one transaction once, by its last version",
    async () => {
      await db.delete(docs);
      // 600 KiB inserted, then rewritten twice: one 600 KiB row at COMMIT.
      const twice = await refusal(
        db.transaction(async (tx) => {
          await tx.execute(
            sql`insert into rid_docs (id, v) values (40, repeat('a', ${600 * KiB}))`,
          );
          await tx.execute(sql`update rid_docs set v = repeat('b', ${600 * KiB}) where id = 40`);
          await tx.execute(sql`update rid_docs set v = repeat('c', ${600 * KiB}) where id = 40`);
        }),
      );
      expect(twice).toBeUndefined();
      const [row] = await db
        .select({ n: sql<number>`length(${docs.v})`.mapWith(Number) })
        .from(docs)
        .where(eq(docs.id, 40));
      expect(row?.n).toBe(600 * KiB);
      // Three rows of 600 KiB are over the limit, counted by id as by a scan.
      const three = await refusal(
        db.transaction(async (tx) => {
          await tx.execute(sql`update rid_docs set v = repeat('d', ${600 * KiB}) where id = 40`);
          await tx.execute(
            sql`insert into rid_docs (id, v) select g, repeat('e', ${600 * KiB}) from generate_series(41, 42) g`,
          );
        }),
      );
      expect(three).toBeInstanceOf(DsqlLimitError);
      expect(three?.rule).toBe("transaction-size-limit");
      expect(await db.$count(docs)).toBe(1);
    },
  );

  it.skipIf(skip)(
    "sizes the rows a function wrote to another table, which no row id names",
    async () => {
      await db.delete(docs);
      await db.insert(docs).values({ id: 50, v: "f" });
      // The UPDATE's own row is small; the function writes a 2 MiB value elsewhere.
      const error = await refusal(
        db.execute(sql`update rid_docs set v = rid_note(50, ${2048 * KiB})::text where id = 50`),
      );
      expect(error).toBeInstanceOf(DsqlLimitError);
      expect(error?.rule).toBe("value-size-limit");
      expect(error?.message).toContain("rid_log");
      const [row] = await db.select().from(docs);
      expect(row).toEqual({ id: 50, v: "f" });
      const kept = await db.execute(sql`select count(*)::int as n from rid_log`);
      expect(kept.rows[0]?.n).toBe(0);
    },
  );

  itOnPostgres(name, skip)("reads the written rows by id, without scanning the table", async () => {
    await db.delete(docs);
    await db.execute(
      sql`insert into rid_docs (id, v) select g, 'x' from generate_series(1, 2000) g`,
    );
    const admin = new pg.Client({ connectionString: connection });
    await admin.connect();
    // A handle of its own: its connections report their statistics when they close.
    const probe = drizzle({ connection });
    let open = true;
    try {
      await admin.query("analyze rid_docs");
      const scans = async () =>
        Number(
          (await admin.query("select seq_scan from pg_stat_user_tables where relname = 'rid_docs'"))
            .rows[0]?.seq_scan,
        );
      const before = await scans();
      for (let id = 1; id <= 5; id++)
        await probe.update(docs).set({ v: "y" }).where(eq(docs.id, id));
      await probe.transaction(async (tx) => {
        await tx.update(docs).set({ v: "z" }).where(eq(docs.id, 6));
        await tx.insert(docs).values({ id: 3000, v: sql`repeat('n', 10)` });
      });
      // One scan of our own, so the count is seen to arrive.
      expect(await probe.$count(docs)).toBe(2001);
      await probe.$close();
      open = false;
      let after = before;
      for (let wait = 0; wait < 100 && after === before; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await admin.query("select pg_stat_clear_snapshot()");
        after = await scans();
      }
      expect(after).toBe(before + 1);
    } finally {
      if (open) await probe.$close();
      await admin.end();
    }
  });
});
