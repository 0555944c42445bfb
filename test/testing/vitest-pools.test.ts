/**
 * createTestDatabase under vitest itself, as users run it: a nested vitest
 * (threads and forks pools, two files at once) takes PostgreSQL test
 * databases, leaves one open per file and ends its workers its own way; the
 * server must hold none of them afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CLONE_PREFIX } from "../../src/testing/postgres-clone.js";
import { hasPostgres, postgresUrl } from "../support/databases.js";
import { type ChildResult, databases, databasesLeft, ownerGone, runNode } from "./support.js";

const root = resolve(".");
const fixture = resolve("test/fixtures/vitest-threads/leaves-one-open.fixture.ts");

/** A vitest of its own on `pool`, over the fixture and a second file importing it. */
async function runVitest(pool: "threads" | "forks"): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), "dsql-vitest-pool-"));
  const config = join(dir, "vitest.config.mjs");
  const copy = join(dir, "b.fixture.ts");
  writeFileSync(copy, `import ${JSON.stringify(fixture)};\n`);
  writeFileSync(
    config,
    `export default { test: { pool: ${JSON.stringify(pool)}, include: [${JSON.stringify(fixture)}, ${JSON.stringify(copy)}] } };\n`,
  );
  try {
    return await runNode(
      [resolve("node_modules/vitest/vitest.mjs"), "run", "--config", config, "--root", root],
      { TEST_DB_URL: postgresUrl, NO_COLOR: "1", FORCE_COLOR: "0" },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasPostgres)("createTestDatabase under vitest's own pools", () => {
  for (const pool of ["threads", "forks"] as const) {
    it(`leaves no database on the server after a run on the ${pool} pool`, async () => {
      const before = new Set(await databases());
      const run = await runVitest(pool);
      const out = run.stdout + run.stderr;
      expect(run.code, out).toBe(0);
      expect(out).toMatch(/Tests +6 passed/);
      // The nested run's processes are gone; other test files' live workers may hold databases.
      const left = (name: string) =>
        name.startsWith(CLONE_PREFIX) && !before.has(name) && ownerGone(name);
      expect(await databasesLeft(left)).toEqual([]);
    }, 120_000);
  }
});
