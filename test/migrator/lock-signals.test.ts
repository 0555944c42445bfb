import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { drizzle } from "../../src/index.js";
import { runCli, startCli } from "../support/cli-process.js";
import { backends, createPgDatabase, hasPostgres } from "../support/databases.js";
import { rows } from "./support.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project whose second migration takes `sleep` seconds: long enough to be interrupted. */
function project(sleep: number): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-signals-"));
  dirs.push(dir);
  const tags = ["0000_a", "0001_slow", "0002_b"];
  mkdirSync(join(dir, "drizzle", "meta"), { recursive: true });
  writeFileSync(
    join(dir, "drizzle", "meta", "_journal.json"),
    JSON.stringify({
      version: "7",
      dialect: "postgresql",
      entries: tags.map((tag, idx) => ({
        idx,
        version: "7",
        when: 1_700_000_000_000 + idx,
        tag,
        breakpoints: true,
      })),
    }),
  );
  writeFileSync(
    join(dir, "drizzle", "0000_a.sql"),
    'CREATE TABLE "a" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid());\n',
  );
  writeFileSync(join(dir, "drizzle", "0001_slow.sql"), `SELECT pg_sleep(${sleep});\n`);
  writeFileSync(
    join(dir, "drizzle", "0002_b.sql"),
    'CREATE TABLE "b" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid());\n',
  );
  return dir;
}

/** A database for the CLI: a fresh PostgreSQL database, or a PGlite folder in the project. */
async function database(backend: "pglite" | "postgres", dir: string) {
  if (backend === "pglite") return { url: `pglite://${join(dir, "data")}`, drop: async () => {} };
  return createPgDatabase();
}

/** The lock's owner and the tables the migrations made, read once the CLI processes are gone. */
async function finalState(url: string) {
  const db = drizzle({ connection: url });
  try {
    return {
      owner: (await rows(db, "SELECT owner FROM drizzle.__drizzle_dsql_migrations_lock"))[0]?.owner,
      tables: (
        await rows(
          db,
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
      ).map((r) => r.table_name),
      recorded: (
        await rows(db, "SELECT count(*)::int AS n FROM drizzle.__drizzle_dsql_migrations")
      )[0]?.n,
    };
  } finally {
    await db.$close();
  }
}

describe.each(backends)("drizzle-dsql migrate interrupted, on $name", ({ name, skip }) => {
  it.skipIf(skip)(
    "SIGINT mid-migration releases the lock and exits 130; the next run starts at once",
    async () => {
      const dir = project(3);
      const db = await database(name, dir);
      try {
        const env = { DATABASE_URL: db.url };
        const run = startCli(["migrate"], { cwd: dir, env });
        await run.waitFor(/✓ 0000_a #1/, 200_000);
        await new Promise((r) => setTimeout(r, 300));
        run.child.kill("SIGINT");
        const stopped = await run.exited;
        const interrupted = Date.now();
        expect(stopped.code, stopped.stderr).toBe(130);
        expect(stopped.stderr).toMatch(/SIGINT: stopping and releasing the migration lock/);
        expect(stopped.stderr).toMatch(
          /migration stopped \(SIGINT received\); run it again to resume/,
        );

        const next = await runCli(["migrate"], { cwd: dir, env });
        const ms = Date.now() - interrupted;
        console.log(
          `[${name}] SIGINT: next successful run ${ms} ms after the interrupted one exited`,
        );
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).not.toMatch(/lock is held/);
        expect(next.stdout).toMatch(/✔ applied \d statement\(s\)/);
        expect(await finalState(db.url)).toEqual({ owner: null, tables: ["a", "b"], recorded: 3 });
      } finally {
        await db.drop();
      }
    },
    300_000,
  );

  it.skipIf(skip)(
    "after SIGKILL the next run names the holder and the takeover time at once; --break-stale-lock takes over",
    async () => {
      const dir = project(3);
      const db = await database(name, dir);
      try {
        const env = { DATABASE_URL: db.url };
        const run = startCli(["migrate"], { cwd: dir, env });
        await run.waitFor(/✓ 0000_a #1/, 200_000);
        const pid = run.child.pid;
        run.child.kill("SIGKILL");
        const killed = await run.exited;
        const t0 = Date.now();
        expect(killed.signal).toBe("SIGKILL");

        const waiting = startCli(["migrate"], { cwd: dir, env });
        await waiting.waitFor(
          new RegExp(
            `the migration lock is held by \\S+ pid ${pid} \\(run [0-9a-f]{8}\\), since \\d{4}-`,
          ),
          60_000,
        );
        const noted = Date.now() - t0;
        const note = waiting.output().stderr;
        expect(note).toMatch(/this run takes it over in \d+s when its lease ends/);
        expect(note).toMatch(new RegExp(`its process ${pid} is gone from this host`));
        expect(note).toMatch(/drizzle-dsql migrate --break-stale-lock/);
        waiting.child.kill("SIGTERM");
        const gaveUp = await waiting.exited;
        expect(gaveUp.code, gaveUp.stderr).toBe(143);

        // A gone pid is trusted only once the holder has also missed a
        // heartbeat (5 s), so a break right after the kill may be refused.
        let broke = await runCli(["migrate", "--break-stale-lock"], { cwd: dir, env });
        for (let i = 0; i < 5 && broke.code !== 0 && /is alive/.test(broke.stderr); i++) {
          await new Promise((r) => setTimeout(r, 2_000));
          broke = await runCli(["migrate", "--break-stale-lock"], { cwd: dir, env });
        }
        const ms = Date.now() - t0;
        console.log(
          `[${name}] SIGKILL: holder named after ${noted} ms; next successful run (--break-stale-lock) ${ms} ms after the kill`,
        );
        expect(broke.code, broke.stderr).toBe(0);
        expect(broke.stderr).toMatch(
          new RegExp(`broke the stale migration lock of \\S+ pid ${pid}`),
        );
        expect(broke.stdout).toMatch(/✔ applied 2 statement\(s\)/);
        expect(await finalState(db.url)).toEqual({ owner: null, tables: ["a", "b"], recorded: 3 });
      } finally {
        await db.drop();
      }
    },
    300_000,
  );
});

describe("drizzle-dsql migrate --break-stale-lock", () => {
  it.skipIf(!hasPostgres)(
    "refuses while the holder is alive and renewing (PostgreSQL: two processes, one database)",
    async () => {
      const dir = project(12);
      const db = await createPgDatabase();
      try {
        const env = { DATABASE_URL: db.url };
        const holder = startCli(["migrate"], { cwd: dir, env });
        await holder.waitFor(/✓ 0000_a #1/, 200_000);
        const refused = await runCli(["migrate", "--break-stale-lock"], { cwd: dir, env });
        expect(refused.code, refused.stderr).toBe(1);
        expect(refused.stderr).toMatch(
          new RegExp(
            `not breaking the migration lock: its holder, \\S+ pid ${holder.child.pid} .* is alive \\(it renewed its lease \\d+s ago\\)`,
          ),
        );
        const done = await holder.exited;
        expect(done.code, done.stderr).toBe(0);
        expect(await finalState(db.url)).toEqual({ owner: null, tables: ["a", "b"], recorded: 3 });
      } finally {
        await db.drop();
      }
    },
    300_000,
  );
});
