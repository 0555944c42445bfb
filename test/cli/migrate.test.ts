import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runMigrate, runStatus } from "../../src/cli/migrate-command.js";
import { FIXTURE } from "../migrator/support.js";
import { backends, createPgDatabase } from "../support/databases.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-cli-"));
  dirs.push(dir);
  cpSync(FIXTURE, join(dir, "drizzle"), { recursive: true });
  // The config is evaluated, so its `import "drizzle-kit"` must resolve, as in a real project.
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

function capture(cwd: string) {
  const out = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    cwd,
    isTTY: false,
  };
  return { io, out };
}

async function migrateThenStatus(cwd: string, argv: string[]) {
  const first = capture(cwd);
  expect(await runMigrate(argv, first.io), first.out.stderr).toBe(0);
  expect(first.out.stdout).toMatch(/27 statement\(s\) to apply/);
  expect(first.out.stdout).toMatch(/✓ 0001_more_columns #19 \d+ms/);
  expect(first.out.stdout).toMatch(/✔ applied 27 statement\(s\)/);
  const again = capture(cwd);
  expect(await runMigrate(argv, again.io)).toBe(0);
  expect(again.out.stdout).toBe("✔ no pending migrations\n");
  const status = capture(cwd);
  expect(await runStatus(argv, status.io)).toBe(0);
  expect(status.out.stdout).toMatch(/✓ 0000_init\s+applied\s+8\/8/);
  expect(status.out.stdout).toMatch(/✓ 0001_more_columns\s+applied\s+19\/19/);
  expect(status.out.stdout).toMatch(/0 statement\(s\) pending/);
}

describe("drizzle-dsql migrate / status", () => {
  it.skipIf(backends[1]?.skip)(
    "reads out and dbCredentials.url from a JSON drizzle config (PostgreSQL)",
    async () => {
      const db = await createPgDatabase();
      try {
        const dir = project();
        writeFileSync(
          join(dir, "drizzle.config.json"),
          JSON.stringify({
            dialect: "postgresql",
            out: "./drizzle",
            dbCredentials: { url: db.url },
          }),
        );
        await migrateThenStatus(dir, ["--config", "drizzle.config.json"]);
      } finally {
        await db.drop();
      }
    },
  );

  it("evaluates a TypeScript config and takes the database from DATABASE_URL (PGlite folder)", async () => {
    const dir = project();
    writeFileSync(
      join(dir, "drizzle.config.ts"),
      `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({\n  dialect: "postgresql",\n  schema: "./src/schema.ts",\n  out: "./drizzle",\n  dbCredentials: { url: process.env.DATABASE_URL! },\n});\n`,
    );
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `pglite://${join(dir, ".data")}`;
    try {
      await migrateThenStatus(dir, []);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  }, 120_000);

  it.skipIf(backends[1]?.skip)("draws a progress bar on a terminal", async () => {
    const db = await createPgDatabase();
    try {
      const dir = project();
      writeFileSync(
        join(dir, "drizzle.config.json"),
        JSON.stringify({ out: "./drizzle", dbCredentials: { url: db.url } }),
      );
      const tty = capture(dir);
      tty.io.isTTY = true;
      expect(await runMigrate([], tty.io)).toBe(0);
      expect(tty.out.stdout).toContain("\r\u001b[2K[");
      expect(tty.out.stdout).toMatch(/\[=+ *\] \d+\/27 0001_more_columns #\d+/);
      expect(tty.out.stdout).toMatch(/✔ applied 27 statement\(s\)/);
    } finally {
      await db.drop();
    }
  });

  it("exits 2 without a database or on unknown flags", async () => {
    const dir = project();
    const saved = { url: process.env.DATABASE_URL, host: process.env.DSQL_ENDPOINT };
    delete process.env.DATABASE_URL;
    delete process.env.DSQL_ENDPOINT;
    try {
      const none = capture(dir);
      expect(await runMigrate([], none.io)).toBe(2);
      expect(none.out.stderr).toMatch(/DATABASE_URL/);
      expect(await runStatus(["--bogus"], capture(dir).io)).toBe(2);
      const misplaced = capture(dir);
      expect(await runStatus(["--break-stale-lock"], misplaced.io)).toBe(2);
      expect(misplaced.out.stderr).toMatch(/--break-stale-lock is a migrate option/);
    } finally {
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
      if (saved.host !== undefined) process.env.DSQL_ENDPOINT = saved.host;
    }
  });
});
