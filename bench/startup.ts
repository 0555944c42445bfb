/**
 * Start-up and test-database figures: time to first query of `pglite://memory`
 * with no cache (cold), with the cache (warm) and of bare `PGlite.create()`,
 * each in a fresh process; and `createTestDatabase` on the example app's
 * migrations next to a fresh twin plus `migrate()`, per isolated database.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { drizzle } from "../src/index.js";
import { migrate } from "../src/migrator.js";
import { pgliteSparesCreated } from "../src/testing/pglite-clone.js";
import { postgresSparesCreated } from "../src/testing/postgres-clone.js";
import { createTestDatabase } from "../src/testing.js";
import { median, nowMs, rotate } from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const migrationsFolder = join(here, "..", "drizzle");
const run = promisify(execFile);

/** Times (ms) of every start-up variant, one per round. */
export interface StartupResult {
  rounds: number;
  /** 1-minute load average at the start and at the end of the section. */
  load: [number, number];
  cold: number[];
  warm: number[];
  bare: number[];
  pglite: TestDbTimes;
  postgres: TestDbTimes | undefined;
}

/** Per-database times (ms) of createTestDatabase and of a fresh database + migrate(). */
export interface TestDbTimes {
  /** The first createTestDatabase in the process (loads or builds the migrated state). */
  first: number;
  clone: number[];
  scratch: number[];
}

async function child(mode: "twin" | "bare", cacheDir: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(here, "startup-child.ts"), mode],
    { env: { ...process.env, DRIZZLE_DSQL_CACHE_DIR: cacheDir } },
  );
  return Number(stdout);
}

async function timeQuery(
  work: () => Promise<{ query: () => Promise<unknown>; close: () => Promise<void> }>,
) {
  const started = nowMs();
  const opened = await work();
  await opened.query();
  const ms = nowMs() - started;
  await opened.close();
  return ms;
}

async function testDbTimes(
  rounds: number,
  backend: "pglite" | "postgres",
  url: string | undefined,
): Promise<TestDbTimes> {
  const clone = async () => {
    const t = await createTestDatabase({ migrationsFolder, backend, url });
    return { query: () => t.db.execute(sql`select count(*) from orders`), close: t.close };
  };
  let n = 0;
  const scratch = async () => {
    let connection = "pglite://memory";
    let drop = async () => {};
    if (url) {
      const name = `bench_scratch_${process.pid}_${n++}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const target = new URL(url);
      target.pathname = `/${name}`;
      connection = target.toString();
      drop = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await c.end();
      };
    }
    const db = drizzle({ connection });
    await migrate(db, { migrationsFolder });
    return {
      query: () => db.execute(sql`select count(*) from orders`),
      close: async () => {
        await db.$close();
        await drop();
      },
    };
  };
  const result: TestDbTimes = { first: await timeQuery(clone), clone: [], scratch: [] };
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(["clone", "scratch"] as const, round)) {
      // The next clone's database is created in the background: let it land
      // first, so that neither variant is timed while the server (or, on
      // PGlite, this thread) works on it.
      await Promise.all([postgresSparesCreated(), pgliteSparesCreated()]);
      const ms = await timeQuery(variant === "clone" ? clone : scratch);
      result[variant].push(ms);
    }
  }
  return result;
}

/** Runs the start-up section; `postgresUrl` is a server database whose role may create databases. */
export async function runStartup(
  rounds: number,
  postgresUrl: string | undefined,
  log: (line: string) => void,
): Promise<StartupResult> {
  const result: StartupResult = {
    rounds,
    load: [loadavg()[0] ?? 0, 0],
    cold: [],
    warm: [],
    bare: [],
    pglite: { first: 0, clone: [], scratch: [] },
    postgres: undefined,
  };
  const folders: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "dsql-bench-cache-"));
    folders.push(dir);
    return dir;
  };
  try {
    const warmCache = fresh();
    await child("twin", warmCache);
    for (let round = 0; round < rounds; round++) {
      log(`startup: round ${round + 1}/${rounds}`);
      for (const variant of rotate(["cold", "warm", "bare"] as const, round)) {
        const ms = await child(
          variant === "bare" ? "bare" : "twin",
          variant === "warm" ? warmCache : fresh(),
        );
        result[variant].push(ms);
      }
    }
    log("startup: createTestDatabase on PGlite");
    // The pristine entry is cached, the migrated state is not: "first" builds it.
    process.env.DRIZZLE_DSQL_CACHE_DIR = warmCache;
    result.pglite = await testDbTimes(rounds, "pglite", undefined);
    if (postgresUrl) {
      log("startup: createTestDatabase on PostgreSQL");
      result.postgres = await testDbTimes(rounds, "postgres", postgresUrl);
    }
    result.load[1] = loadavg()[0] ?? 0;
  } finally {
    delete process.env.DRIZZLE_DSQL_CACHE_DIR;
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const ms = (values: number[]) => `${Math.round(median(values))} ms`;
const times = (value: number[], base: number[]) => `${(median(value) / median(base)).toFixed(2)}x`;

/** The section's heading: RESULTS.md keeps one section under it. */
export const STARTUP_HEADING = "## Start-up and test databases";

/** The markdown section for a start-up run. */
export function renderStartup(r: StartupResult): string {
  const dbRows = [
    ["PGlite", r.pglite] as const,
    ...(r.postgres ? [["PostgreSQL", r.postgres] as const] : []),
  ].map(
    ([name, t]) =>
      `| ${name} | ${ms(t.clone)} | ${ms(t.scratch)} | ${times(t.clone, t.scratch)} | ${Math.round(t.first)} ms |`,
  );
  return [
    STARTUP_HEADING,
    "",
    `Medians of ${r.rounds} rounds, variants interleaved (order rotating per round); 1-minute load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end, on ${cpus().length} cores.`,
    "",
    "### Time to first query of `pglite://memory` (fresh process each)",
    "",
    "| variant | median | x bare PGlite |",
    "| --- | --- | --- |",
    `| cold: empty cache (initdb, then dump into the cache) | ${ms(r.cold)} | ${times(r.cold, r.bare)} |`,
    `| warm: cached data directory loaded | ${ms(r.warm)} | ${times(r.warm, r.bare)} |`,
    `| bare \`PGlite.create()\` + query, for reference | ${ms(r.bare)} | 1.00x |`,
    "",
    "Goal: warm <= 0.25x bare PGlite. Timed from `drizzle()` (or `PGlite.create()`) to the first query's rows, after the imports; all of drizzle-dsql's start (parser, socket server, pool) is inside.",
    "",
    "### `createTestDatabase` (example app's migrations) vs a fresh database + `migrate()`",
    "",
    "| backend | createTestDatabase, per database | fresh + migrate() | ratio | first in the process |",
    "| --- | --- | --- | --- | --- |",
    ...dbRows,
    "",
    "Goal: <= 0.25x. Each: from the call to the first query's rows. PGlite's fresh twin already loads the cached pristine data directory (warm); PostgreSQL's fresh database is `CREATE DATABASE` from template1. \"First in the process\" builds the migrated state (PGlite: a warm twin, migrate(), dump into the cache; PostgreSQL: the template database, once per server); later processes load the cached PGlite dump or find the template. Each clone hands out a database made ahead in the background, and the bench lets that finish before timing either variant. On PostgreSQL it is created from the template right after the previous hand-out. On PGlite it is an instance loaded from the migrated dump (its socket server starts at hand-out), from the process's second database on, once the previous database has gone quiet (no query for 50 ms) or closed; the first clone timed here is that second database and loads its own. PGlite loads on the same thread, so the PGlite ratio is what a test waits for when the process had a few hundred ms to spare between databases; a suite that goes straight from one close() to the next call still waits for the load.",
    "",
  ].join("\n");
}

/**
 * `report` with its start-up section replaced by `section` (or, when
 * `section` is undefined, by the one `previous` had), placed before "## Method".
 */
export function spliceStartup(
  report: string,
  previous: string,
  section: string | undefined,
): string {
  const cut = (text: string) => {
    const start = text.indexOf(STARTUP_HEADING);
    if (start < 0) return { without: text, found: undefined };
    const next = text.indexOf("\n## ", start + STARTUP_HEADING.length);
    const end = next < 0 ? text.length : next + 1;
    return { without: text.slice(0, start) + text.slice(end), found: text.slice(start, end) };
  };
  const keep = section ?? cut(previous).found;
  const { without } = cut(report);
  if (!keep) return without;
  const method = without.indexOf("## Method");
  const block = `${keep.trimEnd()}\n\n`;
  return method < 0
    ? `${without}\n${block}`
    : without.slice(0, method) + block + without.slice(method);
}
