import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlLimitError, DsqlUnsupportedError, drizzle } from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const MiB = 1024 * 1024;

/** `insert into t (id, v) values (from, 'x'), ...` with n rows. */
const valuesInsert = (table: string, n: number, from: number) =>
  `insert into ${table} (id, v) values ${Array.from({ length: n }, (_, i) => `(${from + i}, 'x')`).join(", ")}`;

describe.each(backends)("the twin counts what the server wrote, on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle>;
  let drop: () => Promise<void>;

  const count = async (table: string) =>
    Number(
      (await db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`))).rows[0]?.n,
    );
  const tableExists = async (table: string) =>
    (await db.execute(sql`select 1 from information_schema.tables where table_name = ${table}`))
      .rows.length > 0;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as DsqlUnsupportedError | DsqlLimitError,
    );

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({ connection: fresh.connection });
    await db.execute(sql`create table docs (id integer primary key, v text, b bytea, j jsonb)`);
    await db.execute(sql`create table parents (id integer primary key)`);
    await db.execute(
      sql`create table children (id integer primary key, parent integer references parents (id) on delete cascade, v text)`,
    );
    await db.execute(sql`create table keyed (k text primary key, v text)`);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  describe("multi-statement texts", () => {
    it.skipIf(skip)("refuses INSERT; CREATE TABLE in one text and applies neither", async () => {
      const error = await refusal(
        db.execute(
          sql.raw("insert into docs (id, v) values (1, 'a'); create table multi_one (v int)"),
        ),
      );
      expect(error).toBeInstanceOf(DsqlUnsupportedError);
      expect(error?.rule).toBe("no-ddl-with-dml");
      expect(error?.code).toBe("0A000");
      expect(await count("docs")).toBe(0);
      expect(await tableExists("multi_one")).toBe(false);
    });

    it.skipIf(skip)("refuses a written-out BEGIN; DDL; DML; COMMIT", async () => {
      const error = await refusal(
        db.execute(
          sql.raw(
            "begin; create table multi_two (v int); insert into docs (id, v) values (2, 'b'); commit",
          ),
        ),
      );
      expect(error?.rule).toBe("no-ddl-with-dml");
      expect(await tableExists("multi_two")).toBe(false);
      expect(await count("docs")).toBe(0);
    });

    it.skipIf(skip)("refuses two DDL statements in one text", async () => {
      const error = await refusal(
        db.execute(sql.raw("create table multi_three (v int); create table multi_four (v int)")),
      );
      expect(error?.rule).toBe("one-ddl-per-transaction");
      expect(await tableExists("multi_three")).toBe(false);
    });

    it.skipIf(skip)("counts two 2,000-row INSERTs in one text as 4,000 rows", async () => {
      const text = `${valuesInsert("docs", 2000, 10_000)}; ${valuesInsert("docs", 2000, 20_000)}`;
      const error = await refusal(db.execute(sql.raw(text)));
      expect(error).toBeInstanceOf(DsqlLimitError);
      expect(error?.rule).toBe("transaction-row-limit");
      expect(error?.code).toBe("54000");
      expect(await count("docs")).toBe(0);
    });

    it.skipIf(skip)(
      "counts rows the text does not announce, with the server's counters",
      async () => {
        const text =
          "insert into docs (id, v) select g, 'x' from generate_series(1, 2000) g; insert into docs (id, v) select g, 'x' from generate_series(2001, 4000) g";
        const error = await refusal(db.execute(sql.raw(text)));
        expect(error?.rule).toBe("transaction-row-limit");
        expect(await count("docs")).toBe(0);
      },
    );

    it.skipIf(skip)(
      "still runs texts DSQL accepts, and COMMIT starts a new transaction",
      async () => {
        await db.execute(
          sql.raw(
            "begin; insert into docs (id, v) values (3, 'c'); commit; begin; create table multi_ok (v int); commit",
          ),
        );
        expect(await count("docs")).toBe(1);
        expect(await tableExists("multi_ok")).toBe(true);
        await db.execute(sql.raw("delete from docs; select 1"));
        expect(await count("docs")).toBe(0);
      },
    );

    it.skipIf(skip)("applies the catalog rules to a DDL statement inside a text", async () => {
      const error = await refusal(
        db.execute(sql.raw("select 1; create index async docs_j on docs (j)")),
      );
      expect(error?.rule).toBe("index-jsonb-key");
      const index = await db.execute(sql`select 1 from pg_class where relname = 'docs_j'`);
      expect(index.rows).toHaveLength(0);
    });

    it.skipIf(skip)("counts every statement inside db.transaction", async () => {
      const error = await refusal(
        db.transaction(async (tx) => {
          await tx.execute(sql.raw("select 1; insert into docs (id, v) values (4, 'd')"));
          await tx.execute(sql.raw("select 1; create table multi_five (v int)"));
        }),
      );
      expect(error?.rule).toBe("no-ddl-with-dml");
      expect(await count("docs")).toBe(0);
      expect(await tableExists("multi_five")).toBe(false);
    });
  });

  describe("bytes the server wrote", () => {
    it.skipIf(skip)("refuses an INSERT of repeat('a', 11 MiB) computed server-side", async () => {
      const error = await refusal(
        db.execute(sql.raw(`insert into docs (id, v) values (1, repeat('a', ${11 * MiB}))`)),
      );
      expect(error).toBeInstanceOf(DsqlLimitError);
      expect(error?.code).toBe("54000");
      // One 11 MiB value is also over the 1 MiB value limit, checked first.
      expect(error?.rule).toBe("value-size-limit");
      expect(await count("docs")).toBe(0);
    });

    it.skipIf(skip)("refuses UPDATEs rewriting about 12 MiB in one transaction", async () => {
      await db.execute(
        sql.raw("insert into docs (id, v) select g, 'x' from generate_series(1, 2900) g"),
      );
      try {
        // Each UPDATE rewrites about 6.4 MiB: fine alone, over 10 MiB together.
        const error = await refusal(
          db.transaction(async (tx) => {
            await tx.execute(sql.raw("update docs set v = repeat('b', 4400) where id <= 1450"));
            await tx.execute(sql.raw("update docs set v = repeat('c', 4400) where id > 1450"));
          }),
        );
        expect(error).toBeInstanceOf(DsqlLimitError);
        expect(error?.rule).toBe("transaction-size-limit");
        expect(error?.code).toBe("54000");
        const unchanged = await db.execute<{ n: string }>(
          sql`select count(*) as n from docs where v = 'x'`,
        );
        expect(Number(unchanged.rows[0]?.n)).toBe(2900);
        const alone = await refusal(
          db.execute(sql.raw("update docs set v = repeat('d', 4400) where id <= 1450")),
        );
        expect(alone).toBeUndefined();
        const together = await refusal(
          db.execute(sql.raw("update docs set v = repeat('e', 4400)")),
        );
        expect(together?.rule).toBe("transaction-size-limit");
      } finally {
        await db.execute(sql`delete from docs`);
      }
    });
  });

  describe("rows changed by cascades", () => {
    it.skipIf(skip)(
      "refuses one DELETE cascading into 3,010 child rows, like deleting them directly",
      async () => {
        await db.execute(sql`insert into parents (id) values (1)`);
        for (let from = 0; from < 3010; from += 1505) {
          await db.execute(
            sql.raw(
              `insert into children (id, parent, v) select g, 1, 'c' from generate_series(${from + 1}, ${from + 1505}) g`,
            ),
          );
        }
        const direct = await refusal(db.execute(sql`delete from children where parent = 1`));
        expect(direct?.rule).toBe("transaction-row-limit");
        const cascade = await refusal(db.execute(sql`delete from parents where id = 1`));
        expect(cascade).toBeInstanceOf(DsqlLimitError);
        expect(cascade?.rule).toBe("transaction-row-limit");
        expect(cascade?.code).toBe("54000");
        expect(await count("children")).toBe(3010);
        expect(await count("parents")).toBe(1);
        const inTransaction = await refusal(
          db.transaction(async (tx) => {
            await tx.execute(sql`delete from parents where id = 1`);
          }),
        );
        expect(inTransaction?.rule).toBe("transaction-row-limit");
        expect(await count("children")).toBe(3010);
      },
    );
  });

  describe("known and server-counted writes together", () => {
    it.skipIf(skip)(
      "adds a cascade's rows to the rows of earlier INSERTs in the transaction",
      async () => {
        await db.execute(sql`insert into parents (id) values (2)`);
        await db.execute(
          sql.raw(
            "insert into children (id, parent, v) select g, 2, 'c' from generate_series(100001, 101010) g",
          ),
        );
        const rows = Array.from({ length: 2000 }, (_, i) => i + 200_000);
        const error = await refusal(
          db.transaction(async (tx) => {
            // 2,000 rows the client knows of, then 1 + 1,010 the server counts.
            for (let from = 0; from < rows.length; from += 500) {
              const chunk = rows.slice(from, from + 500);
              await tx.execute(
                sql`insert into docs (id, v) values ${sql.join(
                  chunk.map((id) => sql`(${id}, ${"x"})`),
                  sql`, `,
                )}`,
              );
            }
            await tx.execute(sql`delete from parents where id = 2`);
          }),
        );
        expect(error?.rule).toBe("transaction-row-limit");
        expect(await count("docs")).toBe(0);
        expect(await count("children")).toBeGreaterThanOrEqual(1010);
      },
    );
  });

  describe("value, row and key sizes", () => {
    it.skipIf(skip)(
      "refuses a text, bytea or jsonb value over 1 MiB, and keeps 1 MiB",
      async () => {
        const big = "a".repeat(MiB + 1);
        for (const statement of [
          sql`insert into docs (id, v) values (1, ${big})`,
          sql`insert into docs (id, b) values (2, convert_to(${big}, 'UTF8'))`,
          sql`insert into docs (id, j) values (3, to_jsonb(${big}::text))`,
        ]) {
          const error = await refusal(db.execute(statement));
          expect(error).toBeInstanceOf(DsqlLimitError);
          expect(error?.rule).toBe("value-size-limit");
          expect(error?.code).toBe("54000");
        }
        expect(await count("docs")).toBe(0);
        await db.execute(sql`insert into docs (id, v) values (1, ${"a".repeat(MiB - 16)})`);
        expect(await count("docs")).toBe(1);
        await db.execute(sql`delete from docs`);
      },
    );

    it.skipIf(skip)("refuses a row over 2 MiB made of values under 1 MiB", async () => {
      const part = "a".repeat(MiB - 100);
      const error = await refusal(
        db.execute(
          sql`insert into docs (id, v, b, j) values (1, ${part}, convert_to(${part}, 'UTF8'), to_jsonb(${part}::text))`,
        ),
      );
      expect(error?.rule).toBe("row-size-limit");
      expect(await count("docs")).toBe(0);
    });

    it.skipIf(skip)("refuses a primary key over 1 KiB, through an UPDATE too", async () => {
      const error = await refusal(
        db.execute(sql`insert into keyed (k) values (${"k".repeat(1025)})`),
      );
      expect(error?.rule).toBe("key-size-limit");
      expect(error?.code).toBe("54000");
      await db.execute(sql`insert into keyed (k) values (${"k".repeat(1000)})`);
      const update = await refusal(db.execute(sql`update keyed set k = k || repeat('k', 100)`));
      expect(update?.rule).toBe("key-size-limit");
      expect(
        (await db.execute<{ n: number }>(sql`select length(k) as n from keyed`)).rows[0]?.n,
      ).toBe(1000);
    });
  });
});
