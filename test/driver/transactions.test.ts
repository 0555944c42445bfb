import { eq, sql } from "drizzle-orm";
import { integer, pgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DsqlConflictError,
  DsqlError,
  DsqlRetryExhaustedError,
  DsqlUnsupportedError,
  drizzle,
} from "../../src/index.js";
import { backends, freshConnection, hasPostgres } from "../support/databases.js";

const accounts = pgTable("accounts", {
  id: integer("id").primaryKey(),
  balance: integer("balance").notNull(),
});

const ACCOUNTS = 10;
const START = 1000;

async function createAccounts(db: ReturnType<typeof drizzle>) {
  await db.execute(sql`create table accounts (id integer primary key, balance integer not null)`);
  await db
    .insert(accounts)
    .values(Array.from({ length: ACCOUNTS }, (_, id) => ({ id, balance: START })));
}

describe.each(backends)("transactions on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<{ accounts: typeof accounts }>>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({
      connection: { connectionString: fresh.connection, max: 8 },
      schema: { accounts },
    });
    await createAccounts(db);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)(
    "refuses nested transactions with DsqlUnsupportedError and rolls back",
    async () => {
      const error = await db
        .transaction(async (tx) => {
          await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, 0));
          await tx.transaction(async () => {});
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlUnsupportedError);
      expect((error as DsqlUnsupportedError).rule).toBe("no-savepoint");
      const [row] = await db.select().from(accounts).where(eq(accounts.id, 0));
      expect(row?.balance).toBe(START);
    },
  );

  it.skipIf(skip)("8 concurrent workers moving money keep the total exactly", async () => {
    let retries = 0;
    const worker = async (seed: number) => {
      for (let i = 0; i < 12; i++) {
        const from = (seed * 7 + i * 3) % ACCOUNTS;
        const to = (from + 1 + (i % (ACCOUNTS - 1))) % ACCOUNTS;
        await db.transaction(
          async (tx) => {
            const [a] = await tx.select().from(accounts).where(eq(accounts.id, from));
            const [b] = await tx.select().from(accounts).where(eq(accounts.id, to));
            if (!a || !b) throw new Error("missing account");
            await tx
              .update(accounts)
              .set({ balance: a.balance - 5 })
              .where(eq(accounts.id, from));
            await tx
              .update(accounts)
              .set({ balance: b.balance + 5 })
              .where(eq(accounts.id, to));
          },
          {
            retry: {
              maxAttempts: 50,
              baseDelayMs: 1,
              maxDelayMs: 20,
              onRetry: () => {
                retries++;
              },
            },
          },
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, seed) => worker(seed)));
    const [{ total } = { total: 0 }] = await db
      .select({ total: sql<number>`sum(${accounts.balance})::int` })
      .from(accounts);
    expect(total).toBe(ACCOUNTS * START);
    // PGlite serialises transactions, so conflicts only happen on PostgreSQL.
    if (name === "postgres") expect(retries).toBeGreaterThan(0);
  });

  it.skipIf(skip)("refuses isolation levels DSQL does not have", async () => {
    const error = await db
      .transaction(async () => {}, { isolationLevel: "serializable" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlUnsupportedError);
    expect((error as DsqlUnsupportedError).rule).toBe("isolation-level");
  });

  it.skipIf(skip)("an error the callback swallowed still fails the commit", async () => {
    const error = await db
      .transaction(async (tx) => {
        await tx.update(accounts).set({ balance: 1 }).where(eq(accounts.id, 1));
        await tx.execute(sql`select 1/0`).catch(() => {});
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const [row] = await db.select().from(accounts).where(eq(accounts.id, 1));
    expect(row?.balance).not.toBe(1);
  });

  it.skipIf(skip)("validates retry options up front", async () => {
    for (const retry of [
      { maxAttempts: Number.NaN },
      { maxAttempts: 0 },
      { baseDelayMs: -1 },
      { maxDelayMs: Infinity },
    ]) {
      await expect(db.transaction(async () => {}, { retry })).rejects.toBeInstanceOf(DsqlError);
    }
    expect(() => drizzle({ connection: "pglite://memory", retry: { maxAttempts: 1.5 } })).toThrow(
      DsqlError,
    );
  });
});

// Real conflicts need real concurrency: PostgreSQL at REPEATABLE READ raises
// 40001 when a transaction updates a row another transaction changed.
describe.skipIf(!hasPostgres)("OCC conflicts on PostgreSQL", () => {
  let db: ReturnType<typeof drizzle<{ accounts: typeof accounts }>>;
  let url: string;
  let drop: () => Promise<void>;
  let outsider: pg.Client;

  beforeAll(async () => {
    const fresh = await freshConnection("postgres");
    url = fresh.connection;
    drop = fresh.drop;
    db = drizzle({ connection: url, schema: { accounts } });
    await createAccounts(db);
    outsider = new pg.Client({ connectionString: url });
    await outsider.connect();
  });

  afterAll(async () => {
    await outsider?.end();
    await db?.$close();
    await drop?.();
  });

  /** A transaction body that always meets a concurrent committed update. */
  const alwaysConflicts =
    (attempts: { n: number }) =>
    async (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => {
      attempts.n++;
      const [row] = await tx.select().from(accounts).where(eq(accounts.id, 5));
      await outsider.query("update accounts set balance = balance + 1 where id = 5");
      await tx
        .update(accounts)
        .set({ balance: (row?.balance ?? 0) - 1 })
        .where(eq(accounts.id, 5));
    };

  it("gives DsqlRetryExhaustedError with the attempt count after maxAttempts", async () => {
    const attempts = { n: 0 };
    const error = await db
      .transaction(alwaysConflicts(attempts), {
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlRetryExhaustedError);
    expect((error as DsqlRetryExhaustedError).attempts).toBe(3);
    expect(attempts.n).toBe(3);
    expect((error as DsqlRetryExhaustedError).code).toBe("40001");
  });

  it("gives DsqlConflictError with retry off", async () => {
    const attempts = { n: 0 };
    const error = await db
      .transaction(alwaysConflicts(attempts), { retry: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlConflictError);
    expect((error as DsqlConflictError).code).toBe("40001");
    expect(attempts.n).toBe(1);
  });

  it("retries until it succeeds, calling onRetry", async () => {
    let conflictsLeft = 2;
    const seen: number[] = [];
    await db.transaction(
      async (tx) => {
        const [row] = await tx.select().from(accounts).where(eq(accounts.id, 6));
        if (conflictsLeft-- > 0)
          await outsider.query("update accounts set balance = balance + 1 where id = 6");
        await tx
          .update(accounts)
          .set({ balance: (row?.balance ?? 0) + 100 })
          .where(eq(accounts.id, 6));
      },
      { retry: { maxAttempts: 5, baseDelayMs: 1, onRetry: (_e, attempt) => seen.push(attempt) } },
    );
    expect(seen).toEqual([2, 3]);
    const [row] = await db.select().from(accounts).where(eq(accounts.id, 6));
    expect(row?.balance).toBe(START + 2 + 100);
  });

  it("retries a single statement outside a transaction, reading OC codes from the message", async () => {
    // A server function that fails with DSQL's OC000 conflict twice, then
    // succeeds (sequences survive rollbacks, so it counts across attempts).
    await outsider.query(`create sequence flaky_seq;
      create function flaky() returns int language plpgsql as $$
      begin
        if nextval('flaky_seq') <= 2 then
          raise exception 'mutation conflicts with another transaction, retry as needed (OC000)' using errcode = '40001';
        end if;
        return 42;
      end $$;`);
    const seen: number[] = [];
    const retrying = drizzle({
      connection: url,
      retry: { baseDelayMs: 1, onRetry: (_e, n) => seen.push(n) },
    });
    const result = await retrying.execute<{ flaky: number }>(sql`select flaky()`);
    expect(result.rows[0]?.flaky).toBe(42);
    expect(seen).toEqual([2, 3]);
    await outsider.query("select setval('flaky_seq', 1, false)");
    const noRetry = drizzle({ connection: url, retry: false });
    const error = await noRetry.execute(sql`select flaky()`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlConflictError);
    expect((error as DsqlConflictError).dsqlCode).toBe("OC000");
    await retrying.$close();
    await noRetry.$close();
  });
});
