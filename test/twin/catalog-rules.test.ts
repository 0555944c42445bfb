import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlLimitError, DsqlUnsupportedError, drizzle } from "../../src/index.js";
import { lintSql } from "../../src/kit.js";
import { backends, freshConnection } from "../support/databases.js";

// Rules that need the table's definition: `check` applies them when the
// CREATE TABLE is in the same file; the twin reads the live catalog instead.
describe.each(backends)("the twin's table-aware rules on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle>;
  let drop: () => Promise<void>;

  const indexCount = async () =>
    Number(
      (
        await db.execute<{ n: number }>(
          sql`select count(*)::int as n from pg_indexes where tablename = 'wide'`,
        )
      ).rows[0]?.n,
    );

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({ connection: fresh.connection });
    await db.execute(
      sql`create table wide (id int primary key, doc jsonb, ${sql.raw(
        Array.from({ length: 30 }, (_, i) => `c${i} int`).join(", "),
      )})`,
    );
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("refuses a jsonb index key on an existing table, as check does", async () => {
    const error = await db
      .execute(sql`create index async wide_doc_idx on wide (doc)`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlUnsupportedError);
    expect((error as DsqlUnsupportedError).rule).toBe("index-jsonb-key");
    const lint = lintSql(
      "CREATE TABLE wide (id int PRIMARY KEY, doc jsonb);\nCREATE INDEX ASYNC wide_doc_idx ON wide (doc);",
    );
    expect(lint.map((d) => d.rule)).toContain("index-jsonb-key");
  });

  it.skipIf(skip)("refuses dropping a primary-key column", async () => {
    const error = await db.execute(sql`alter table wide drop column id`).catch((e: unknown) => e);
    expect((error as DsqlUnsupportedError).rule).toBe("no-drop-primary-key-column");
    const still = await db.execute(
      sql`select 1 from information_schema.columns where table_name = 'wide' and column_name = 'id'`,
    );
    expect(still.rows.length).toBe(1);
  });

  it.skipIf(skip)("allows 24 indexes per table and refuses the 25th", async () => {
    // The primary key is the first index.
    for (let i = 0; i < 23; i++)
      await db.execute(sql.raw(`create index async wide_c${i}_idx on wide (c${i})`));
    expect(await indexCount()).toBe(24);
    const error = await db
      .execute(sql`create index async wide_c29_idx on wide (c29)`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlLimitError);
    expect((error as DsqlLimitError).rule).toBe("index-count-limit");
    expect((error as DsqlLimitError).code).toBe("54000");
    expect(await indexCount()).toBe(24);
  });
});
