/**
 * The twin's cost of counting what the server wrote (rows, bytes, sizes
 * before COMMIT): single-row INSERTs and UPDATEs, small transactions and a
 * 30,000-row batchInsert through the twin, next to the same writes with `dsqlRules: "off"`
 * (no twin checks) on one PGlite and one PostgreSQL. Run:
 *   npx tsx bench/twin-writes.ts
 */
import { eq, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { batchInsert, type DsqlDatabase, drizzle } from "../src/index.js";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.js";

const notes = pgTable("notes", { id: integer("id").primaryKey(), body: text("body") });
type Db = DsqlDatabase<{ notes: typeof notes }>;

async function timeMs(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function measure(db: Db): Promise<Record<string, number>> {
  await db.execute(sql`drop table if exists notes`);
  await db.execute(sql`create table notes (id integer primary key, body text)`);
  const single = await timeMs(async () => {
    for (let i = 0; i < 300; i++) await db.insert(notes).values({ id: i, body: `note ${i}` });
  });
  const transactions = await timeMs(async () => {
    for (let t = 0; t < 50; t++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) {
          const id = 1000 + t * 5 + i;
          await tx.insert(notes).values({ id, body: `note ${id}` });
        }
      });
    }
  });
  const updates = await timeMs(async () => {
    for (let i = 0; i < 300; i++) {
      await db
        .update(notes)
        .set({ body: `changed ${i}` })
        .where(eq(notes.id, i));
    }
  });
  const rows = Array.from({ length: 30_000 }, (_, i) => ({ id: 10_000 + i, body: `bulk ${i}` }));
  const bulk = await timeMs(async () => {
    await batchInsert(db, notes, rows);
  });
  return {
    "single-row INSERT (µs each)": (single / 300) * 1000,
    "5-INSERT transaction (µs each)": (transactions / 50) * 1000,
    "single-row UPDATE by key (µs each)": (updates / 300) * 1000,
    "batchInsert 30,000 rows (ms)": bulk,
  };
}

async function compare(label: string, connection: string): Promise<void> {
  for (const rules of ["enforce", "off"] as const) {
    const db = drizzle({ connection, schema: { notes }, dsqlRules: rules }) as unknown as Db;
    await measure(db); // warm-up
    const figures = await measure(db);
    await db.$close();
    for (const [what, value] of Object.entries(figures)) {
      process.stdout.write(`${label}\t${rules}\t${what}\t${value.toFixed(0)}\n`);
    }
  }
}

const bin = findPostgresBin();
await compare("pglite", "pglite://memory");
if (bin) {
  const server = await startPostgres(bin);
  try {
    await compare("postgres", server.url);
  } finally {
    await server.stop();
  }
}
