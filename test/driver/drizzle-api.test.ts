import { eq, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlConnectionError, drizzle } from "../../src/index.js";
import { backends, freshConnection, hasPostgres } from "../support/databases.js";

const people = pgTable("people", {
  id: integer().primaryKey(),
  fullName: text().notNull(),
});

describe.each(backends)("the Drizzle API through drizzle-dsql on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<{ people: typeof people }>>;
  let drop: () => Promise<void>;
  const logged: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({
      connection: fresh.connection,
      schema: { people },
      casing: "snake_case",
      logger: { logQuery: (query) => logged.push(query) },
    });
    await db.execute(sql`create table people (id integer primary key, full_name text not null)`);
    await db.insert(people).values([
      { id: 1, fullName: "Ada Lovelace" },
      { id: 2, fullName: "Alan Turing" },
    ]);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("maps camelCase keys to snake_case columns (casing)", async () => {
    const rows = await db.select().from(people).orderBy(people.id);
    expect(rows).toEqual([
      { id: 1, fullName: "Ada Lovelace" },
      { id: 2, fullName: "Alan Turing" },
    ]);
    expect(logged.some((q) => q.includes('"full_name"'))).toBe(true);
  });

  it.skipIf(skip)("runs prepared statements with placeholders, repeatedly", async () => {
    const byId = db
      .select()
      .from(people)
      .where(eq(people.id, sql.placeholder("id")))
      .prepare("person_by_id");
    expect(await byId.execute({ id: 2 })).toEqual([{ id: 2, fullName: "Alan Turing" }]);
    expect(await byId.execute({ id: 1 })).toEqual([{ id: 1, fullName: "Ada Lovelace" }]);
    expect(await byId.execute({ id: 3 })).toEqual([]);
  });

  it.skipIf(skip)("supports $count, the relational API and returning", async () => {
    expect(await db.$count(people)).toBe(2);
    expect(await db.query.people.findFirst({ where: eq(people.id, 1) })).toEqual({
      id: 1,
      fullName: "Ada Lovelace",
    });
    const [updated] = await db
      .update(people)
      .set({ fullName: "A. Lovelace" })
      .where(eq(people.id, 1))
      .returning();
    expect(updated).toEqual({ id: 1, fullName: "A. Lovelace" });
  });
});

describe.skipIf(!hasPostgres)("connection hygiene on PostgreSQL", () => {
  let url: string;
  let drop: () => Promise<void>;
  let outsider: pg.Client;

  beforeAll(async () => {
    const fresh = await freshConnection("postgres");
    url = fresh.connection;
    drop = fresh.drop;
    outsider = new pg.Client({ connectionString: url });
    await outsider.connect();
  });

  afterAll(async () => {
    await outsider.end();
    await drop();
  });

  it("destroys a connection whose BEGIN failed and retries the transaction on a new one", async () => {
    // A pg client whose backend is really terminated just before its first
    // BEGIN: the server, not a stub, makes BEGIN fail.
    let armed = true;
    const terminate = (pid: number) => outsider.query("select pg_terminate_backend($1)", [pid]);
    class FragileClient extends pg.Client {
      // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads
      override query(...args: any[]): any {
        const [text] = args;
        if (armed && typeof text === "string" && text.startsWith("BEGIN")) {
          armed = false;
          const pid = (this as unknown as { processID: number }).processID;
          return terminate(pid).then(() =>
            (super.query as (...a: unknown[]) => unknown).apply(this, args),
          );
        }
        return (super.query as (...a: unknown[]) => unknown).apply(this, args);
      }
    }
    const pool = new pg.Pool({ connectionString: url, max: 1, Client: FragileClient });
    const db = drizzle({ client: pool });
    // Nothing ran before BEGIN failed: the transaction is retried, not surfaced.
    let retried: unknown;
    const first = await db.transaction(
      async (tx) => (await tx.execute<{ v: number }>(sql`select 1 as v`)).rows[0]?.v,
      { retry: { onRetry: (error) => (retried = error) } },
    );
    expect(first).toBe(1);
    expect(armed).toBe(false);
    expect(retried).toBeInstanceOf(DsqlConnectionError);
    // 57P01 when BEGIN meets the FATAL, 08006 when pg saw the connection die first.
    expect(["57P01", "08006"]).toContain((retried as DsqlConnectionError).code);
    const second = await db.transaction(
      async (tx) => (await tx.execute<{ v: number }>(sql`select 2 as v`)).rows[0]?.v,
    );
    expect(second).toBe(2);
    expect(pool.totalCount).toBe(1);
    await db.$close();
  });

  it("survives an idle connection dying (no crash, the next query reconnects)", async () => {
    const db = drizzle({ connection: { connectionString: url, max: 1 } });
    const pid = (await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]
      ?.pid;
    await outsider.query("select pg_terminate_backend($1)", [pid]);
    await new Promise((r) => setTimeout(r, 200));
    const again = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    expect(again.rows[0]?.pid).not.toBe(pid);
    await db.$close();
  });

  it("destroys a connection whose ROLLBACK failed", async () => {
    const db = drizzle({ connection: { connectionString: url, max: 1 } });
    const error = await db
      .transaction(async (tx) => {
        const pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]
          ?.pid;
        await outsider.query("select pg_terminate_backend($1)", [pid]);
        // Let the server's termination arrive while no query is running: the
        // checked-out client then emits 'error', which must not crash the process.
        await new Promise((r) => setTimeout(r, 150));
        throw new Error("callback failed after its connection died");
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("callback failed after its connection died");
    const after = await db.transaction(
      async (tx) => (await tx.execute<{ v: number }>(sql`select 3 as v`)).rows[0]?.v,
    );
    expect(after).toBe(3);
    await db.$close();
  });
});
