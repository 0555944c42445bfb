/**
 * One start-up measurement in a fresh process (bench/startup.ts runs it):
 * `twin` times drizzle-dsql's `pglite://memory` from `drizzle()` to the first
 * query's rows (the cache folder comes from DRIZZLE_DSQL_CACHE_DIR); `bare`
 * times `PGlite.create()` to its first query. Prints the milliseconds.
 */
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "../src/index.js";
import { nowMs } from "./stats.js";

const mode = process.argv[2];
const started = nowMs();
if (mode === "twin") {
  const db = drizzle({ connection: "pglite://memory" });
  await db.execute(sql`select 1`);
  process.stdout.write(String(nowMs() - started));
  await db.$close();
} else if (mode === "bare") {
  const db = await PGlite.create();
  await db.query("select 1");
  process.stdout.write(String(nowMs() - started));
  await db.close();
} else {
  throw new Error(`startup-child: unknown mode ${mode}`);
}
