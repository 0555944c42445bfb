import {
  eq,
  getTableName,
  gt,
  relations,
  sql,
  type Table,
  TransactionRollbackError,
} from "drizzle-orm";
import { Cache, type MutationOption } from "drizzle-orm/cache/core";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { drizzle as stockDrizzle } from "drizzle-orm/node-postgres";
import {
  boolean,
  except,
  integer,
  intersect,
  pgTable,
  pgView,
  text,
  union,
} from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlUnsupportedError, drizzle, withoutTenant } from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const users = pgTable("users", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  verified: boolean("verified").notNull().default(false),
});
const posts = pgTable("posts", {
  id: integer("id").primaryKey(),
  authorId: integer("author_id").notNull(),
  title: text("title").notNull(),
});
const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
const postsRelations = relations(posts, ({ one }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
}));
const verifiedUsers = pgView("verified_users", {
  id: integer("id"),
  name: text("name"),
}).existing();
const schema = { users, posts, usersRelations, postsRelations };

/** A real, if tiny, cache: every read cached by key, dropped per table on mutation. */
class MemoryCache extends Cache {
  readonly entries = new Map<string, { response: unknown; tables: string[] }>();
  override strategy(): "all" {
    return "all";
  }
  override async get(key: string): Promise<unknown[] | undefined> {
    return this.entries.get(key)?.response as unknown[] | undefined;
  }
  override async put(key: string, response: unknown, tables: string[]): Promise<void> {
    this.entries.set(key, { response, tables });
  }
  override async onMutate(params: MutationOption): Promise<void> {
    const list = [params.tables ?? []].flat();
    const names = list.map((t) => (typeof t === "string" ? t : getTableName(t as Table)));
    for (const [key, entry] of this.entries) {
      if (entry.tables.some((t) => names.includes(t))) this.entries.delete(key);
    }
  }
}

type AnyDb = ReturnType<typeof stockDrizzle<typeof schema>>;

const DDL = [
  sql`create table users (id integer primary key, name text not null, verified boolean not null default false)`,
  sql`create table posts (id integer primary key, author_id integer not null, title text not null)`,
  sql`create view verified_users as select id, name from users where verified`,
];

/** Drizzle's public surface, the way its own suite drives it; returns what each step saw. */
async function scenario(db: AnyDb): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const statement of DDL) await db.execute(statement);
  out.inserted = await db
    .insert(users)
    .values([
      { id: 1, name: "Ada", verified: true },
      { id: 2, name: "Bob" },
      { id: 3, name: "Cy", verified: true },
    ])
    .returning();
  await db.insert(posts).values([
    { id: 10, authorId: 1, title: "one" },
    { id: 11, authorId: 1, title: "two" },
    { id: 12, authorId: 3, title: "three" },
  ]);
  out.updated = await db
    .update(users)
    .set({ name: "Bobby" })
    .where(eq(users.id, 2))
    .returning({ id: users.id, name: users.name });
  out.deleted = await db.delete(posts).where(eq(posts.id, 12)).returning();
  out.count = await db.$count(users);
  out.countWhere = await db.$count(users, eq(users.verified, true));
  const prepared = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare("user_by_id");
  out.prepared = [await prepared.execute({ id: 1 }), await prepared.execute({ id: 3 })];
  out.relational = await db.query.users.findMany({
    with: { posts: { orderBy: (p, { asc }) => asc(p.id) } },
    orderBy: (u, { asc }) => asc(u.id),
  });
  out.relationalOne = await db.query.posts.findFirst({
    where: eq(posts.id, 11),
    with: { author: true },
  });
  out.view = await db.select().from(verifiedUsers).orderBy(verifiedUsers.id);
  const ids = (where: ReturnType<typeof gt>) =>
    db.select({ id: users.id }).from(users).where(where);
  out.union = await union(ids(gt(users.id, 1)), ids(eq(users.id, 1))).orderBy(users.id);
  out.intersect = await intersect(ids(gt(users.id, 1)), ids(gt(users.id, 2)));
  out.except = await except(ids(gt(users.id, 0)), ids(gt(users.id, 1)));
  const authors = db
    .$with("authors")
    .as(db.selectDistinct({ authorId: posts.authorId }).from(posts));
  out.with = await db
    .with(authors)
    .select({ name: users.name })
    .from(users)
    .innerJoin(authors, eq(authors.authorId, users.id));
  out.json = await db.execute(
    sql`select ${'{"a":{"b":[1,2]}}'}::jsonb -> 'a' ->> 'b' as b, ${'{"k":"v"}'}::jsonb ? 'k' as has`,
  );
  out.rolledBack = await db
    .transaction(async (tx) => {
      await tx.update(users).set({ name: "Nobody" });
      tx.rollback();
    })
    .catch((e: unknown) => e instanceof TransactionRollbackError);
  out.committed = await db.transaction(async (tx) => {
    await tx.update(users).set({ verified: true }).where(eq(users.id, 2));
    return tx.select().from(users).orderBy(users.id);
  });
  out.after = await db.select().from(users).orderBy(users.id);
  out.failedQuery = await db
    .execute(sql`select * from no_such_table`)
    .catch((e: unknown) => [
      e instanceof DrizzleQueryError,
      (e as { cause?: { code?: string } }).cause?.code,
    ]);
  for (const statement of ["drop view verified_users", "drop table posts", "drop table users"])
    await db.execute(sql.raw(statement));
  // pg's Result objects carry the pool's parsers; compare what a caller reads.
  return JSON.parse(
    JSON.stringify(out, (key, value) =>
      key === "_types" || key === "_parsers" ? undefined : value,
    ),
  );
}

const clean = (result: unknown) => {
  const r = result as { rows?: unknown; fields?: unknown } & Record<string, unknown>;
  return r && typeof r === "object" && "rows" in r ? { rows: r.rows, rowCount: r.rowCount } : r;
};

describe.each(backends)("drizzle-orm compatibility on $name", ({ name, skip }) => {
  let stock: AnyDb;
  let stockOwner: ReturnType<typeof drizzle>;
  const dbs: { rules: "off" | "enforce"; db: AnyDb; cache: MemoryCache }[] = [];
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skip) return;
    const forStock = await freshConnection(name);
    drops.push(forStock.drop);
    // Stock drizzle-orm/node-postgres over a pg.Pool of its own database.
    stockOwner = drizzle({ connection: forStock.connection });
    stock = stockDrizzle({ client: stockOwner.$client as never, schema });
    for (const rules of ["off", "enforce"] as const) {
      const fresh = await freshConnection(name);
      drops.push(fresh.drop);
      const cache = new MemoryCache();
      const db = drizzle({ connection: fresh.connection, schema, dsqlRules: rules, cache });
      dbs.push({ rules, db: db as unknown as AnyDb, cache });
    }
    // Embedded PGlite starts in the background: wait here, not inside a test.
    for (const pool of [stockOwner.$client, ...dbs.map(({ db }) => db.$client)]) {
      await (pool as { ready?: () => Promise<void> }).ready?.();
    }
  });

  afterAll(async () => {
    if (skip) return;
    for (const { db } of dbs) await (db as unknown as ReturnType<typeof drizzle>).$close();
    await stockOwner.$close();
    for (const drop of drops) await drop();
  });

  it.skipIf(skip)("the public surface gives stock results, rules off and on", async () => {
    const expected = await scenario(stock);
    for (const { rules, db } of dbs) {
      const got = await scenario(db);
      for (const key of Object.keys(expected)) {
        expect(clean(got[key]), `${rules}: ${key}`).toEqual(clean(expected[key]));
      }
    }
  });

  it.skipIf(skip)(
    "raw bigint reads as stock pg reads it with rules off (text), as a number with rules on",
    async () => {
      const query = sql`select count(*) as n, 9007199254740993::int8 as big`;
      const expected = (await stock.execute(query)).rows[0];
      expect(expected).toEqual({ n: "1", big: "9007199254740993" });
      for (const { rules, db } of dbs) {
        const row = (await db.execute(query)).rows[0];
        // Rules on: a bigint that fits reads as a number (widened serial keys); one that does not stays exact text.
        expect(row, rules).toEqual(rules === "off" ? expected : { n: 1, big: "9007199254740993" });
      }
    },
  );

  it.skipIf(skip)(
    "db.$cache is the configured cache, and invalidate() drops its entries",
    async () => {
      for (const { rules, db, cache } of dbs) {
        expect(db.$cache, rules).toBe(cache);
        expect(withoutTenant(db).$cache, rules).toBe(cache);
        await db.execute(
          sql`create table users (id integer primary key, name text not null, verified boolean not null default false)`,
        );
        await db.insert(users).values({ id: 1, name: "Ada" });
        const read = () => db.select({ name: users.name }).from(users);
        expect(await read()).toEqual([{ name: "Ada" }]);
        // A write drizzle does not see (raw SQL) leaves the cached answer in place...
        await db.execute(sql`update users set name = 'Eve'`);
        expect(await read()).toEqual([{ name: "Ada" }]);
        // ...until the caller invalidates the table.
        await db.$cache.invalidate({ tables: [users] });
        expect(await read()).toEqual([{ name: "Eve" }]);
        await db.execute(sql`drop table users`);
      }
    },
  );

  it.skipIf(skip)(
    "rules off: nested transactions use savepoints and isolation levels are honoured; rules on: refused alike",
    async () => {
      for (const { rules, db } of dbs) {
        await db.execute(
          sql`create table posts (id integer primary key, author_id integer not null, title text not null)`,
        );
        const nested = db.transaction(async (tx) => {
          await tx.insert(posts).values({ id: 1, authorId: 1, title: "outer" });
          await tx
            .transaction(async (inner) => {
              await inner.insert(posts).values({ id: 2, authorId: 1, title: "inner" });
              inner.rollback();
            })
            .catch((e: unknown) => {
              if (!(e instanceof TransactionRollbackError)) throw e;
            });
          await tx.transaction(async (inner) => {
            await inner.insert(posts).values({ id: 3, authorId: 1, title: "kept" });
          });
        });
        const isolation = (config: { isolationLevel: "serializable"; deferrable?: boolean }) =>
          db.transaction(async (tx) => {
            const r = await tx.execute<{ i: string; d: string }>(
              sql`select current_setting('transaction_isolation') as i, current_setting('transaction_deferrable') as d`,
            );
            return r.rows[0];
          }, config);
        const viaSet = () =>
          db.transaction(async (tx) => {
            await tx.setTransaction({ isolationLevel: "serializable" });
            const r = await tx.execute<{ i: string }>(
              sql`select current_setting('transaction_isolation') as i`,
            );
            return r.rows[0]?.i;
          });
        const unsupported = () =>
          db
            .execute(sql`create table bad (a int check (a in (select 1)))`)
            .catch((e: unknown) => e);
        if (rules === "off") {
          await nested;
          const titles = await db.select({ id: posts.id }).from(posts).orderBy(posts.id);
          expect(titles).toEqual([{ id: 1 }, { id: 3 }]);
          expect(await isolation({ isolationLevel: "serializable", deferrable: true })).toEqual({
            i: "serializable",
            d: "on",
          });
          expect(await viaSet()).toBe("serializable");
          const error = await unsupported();
          expect(error).toBeInstanceOf(DrizzleQueryError);
          expect(error).not.toBeInstanceOf(DsqlUnsupportedError);
          expect((error as { cause?: { code?: string } }).cause?.code).toBe("0A000");
        } else {
          await expect(nested).rejects.toBeInstanceOf(DsqlUnsupportedError);
          expect(await db.$count(posts)).toBe(0);
          await expect(isolation({ isolationLevel: "serializable" })).rejects.toBeInstanceOf(
            DsqlUnsupportedError,
          );
          await expect(viaSet()).rejects.toBeInstanceOf(DsqlUnsupportedError);
          expect(await unsupported()).toBeInstanceOf(DsqlUnsupportedError);
        }
        await db.execute(sql`drop table posts`);
      }
    },
  );
});
