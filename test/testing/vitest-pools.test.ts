/**
 * createTestDatabase under vitest itself, as users run it: a nested vitest
 * (threads and forks pools, two files at once) takes PostgreSQL test
 * databases, leaves one open per file and ends its workers its own way; the
 * server must hold none of them afterwards.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { CLONE_PREFIX } from "../../src/testing/postgres-clone.js";
import { hasPostgres, postgresUrl } from "../support/databases.js";

const root = resolve(".");
const fixture = resolve("test/fixtures/vitest-threads/leaves-one-open.fixture.ts");

function runVitest(pool: "threads" | "forks"): Promise<{ code: number | null; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), "dsql-vitest-pool-"));
  const config = join(dir, "vitest.config.mjs");
  const copy = join(dir, "b.fixture.ts");
  writeFileSync(copy, `import ${JSON.stringify(fixture)};\n`);
  writeFileSync(
    config,
    `export default { test: { pool: ${JSON.stringify(pool)}, include: [${JSON.stringify(fixture)}, ${JSON.stringify(copy)}] } };\n`,
  );
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [resolve("node_modules/vitest/vitest.mjs"), "run", "--config", config, "--root", root],
      {
        cwd: root,
        env: { ...process.env, TEST_DB_URL: postgresUrl, NO_COLOR: "1", FORCE_COLOR: "0" },
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      rmSync(dir, { recursive: true, force: true });
      done({ code, out });
    });
  });
}

async function testDatabases(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [CLONE_PREFIX],
    );
    return rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}

describe.skipIf(!hasPostgres)("createTestDatabase under vitest's own pools", () => {
  for (const pool of ["threads", "forks"] as const) {
    it(`leaves no database on the server after a run on the ${pool} pool`, async () => {
      const before = new Set(await testDatabases());
      const run = await runVitest(pool);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toMatch(/Tests +6 passed/);
      const left = async () => (await testDatabases()).filter((name) => !before.has(name));
      const deadline = Date.now() + 20_000;
      while ((await left()).length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(await left()).toEqual([]);
    }, 120_000);
  }
});
