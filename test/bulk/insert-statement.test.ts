import { sql } from "drizzle-orm";
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkSizes } from "../../src/bulk/batches.js";
import { batchInsert, drizzle, jsonText, textArray } from "../../src/index.js";

const columns = (name: string) =>
  pgTable(name, {
    id: integer().primaryKey(),
    seq: bigint({ mode: "number" }).generatedAlwaysAsIdentity({ cache: 65536 }),
    displayName: text().default("anon"),
    source: text().$defaultFn(() => "generated"),
    prefs: jsonText<{ a: number[] }>("prefs"),
    tags: textArray("tags"),
  });
const viaBuilder = columns("via_builder");
const viaBatch = columns("via_batch");

const ddl = (name: string) =>
  sql.raw(`create table ${name} (id integer primary key, seq bigint generated always as identity (cache 65536),
    display_name text default 'anon', source text, prefs text, tags text)`);

describe("batchInsert's statements match Drizzle's builder", () => {
  let db: ReturnType<typeof drizzle>;

  beforeAll(async () => {
    db = drizzle({ connection: "pglite://memory", casing: "snake_case" });
    await db.execute(ddl("via_builder"));
    await db.execute(ddl("via_batch"));
  });

  afterAll(async () => {
    await db.$close();
  });

  it("stores the same rows: defaults, $defaultFn, encoders, casing, sql values", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      id: i,
      ...(i % 3 === 0 ? {} : { displayName: i % 3 === 1 ? null : `n${i}` }),
      ...(i % 5 === 0 ? { source: "given" } : {}),
      prefs: { a: [i, i + 1] },
      tags: i % 2 ? ["x,y", `"${i}"`] : [],
    }));
    await db.insert(viaBuilder).values(rows);
    await batchInsert(db, viaBatch, rows);
    const dump = (table: string) =>
      db.execute(sql.raw(`select id, display_name, source, prefs, tags from ${table} order by id`));
    expect((await dump("via_batch")).rows).toEqual((await dump("via_builder")).rows);
    // A row holding an sql`...` value goes through the builder.
    await batchInsert(db, viaBatch, [{ id: 1000, displayName: sql`upper('sql value')` }]);
    const [row] = (await db.execute(sql`select display_name from via_batch where id = 1000`)).rows;
    expect(row).toEqual({ display_name: "SQL VALUE" });
  });

  it("cuts remainders into power-of-two statements", () => {
    const sizes = (n: number, width: number) => chunkSizes(n, width);
    expect(sizes(3000, 4)).toEqual([2048, 512, 256, 128, 56]);
    expect(sizes(40, 4)).toEqual([40]);
    expect(sizes(30_000, 3)).toEqual([21845, 4096, 2048, 1024, 512, 256, 128, 64, 27]);
    expect(sizes(3000, 4).reduce((a, b) => a + b)).toBe(3000);
    // A full batch is one statement (one round trip) when the parameters allow.
    const full = (n: number, width: number) => chunkSizes(n, width, 3000);
    expect(full(3000, 4)).toEqual([3000]);
    expect(full(3000, 30)).toEqual([2184, 816]);
    expect(full(2999, 4)).toEqual([2048, 512, 256, 128, 55]);
  });
});
