/**
 * A child process for the memory benchmark. Usage:
 *   node --import tsx bench/memory-child.ts <mode> <postgres-url> <rows>
 * mode: "baseline" (connect, one query), "generator" (batchInsert from a
 * generator), or "array" (build all rows in an array, then batchInsert).
 * Prints one JSON line: { mode, rows, maxRssKiB, seconds }.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "../src/index.js";
import { dsqlBatchInsert, type EntityRow, entityRow, entityRows } from "./loaders.js";
import { schema } from "./schema.js";

function* generate(count: number): Generator<EntityRow> {
  for (let i = 0; i < count; i++) yield entityRow(i);
}

async function main(): Promise<void> {
  const [mode, url, rowsArg] = process.argv.slice(2);
  const rows = Number(rowsArg ?? 0);
  if (!url || !["baseline", "generator", "array"].includes(mode ?? "")) {
    throw new Error("usage: memory-child.ts baseline|generator|array <postgres-url> <rows>");
  }
  const db = drizzle({ connection: { connectionString: url, max: 8 }, schema });
  const start = performance.now();
  try {
    await db.execute(sql`select 1`);
    if (mode === "generator") await dsqlBatchInsert(db, generate(rows));
    if (mode === "array") await dsqlBatchInsert(db, entityRows(rows));
  } finally {
    await db.$close();
  }
  const result = {
    mode,
    rows: mode === "baseline" ? 0 : rows,
    maxRssKiB: process.resourceUsage().maxRSS,
    seconds: (performance.now() - start) / 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
