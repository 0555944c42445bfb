import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { drizzle } from "../../src/index.js";
import {
  MigrationDatabaseError,
  MigrationFileError,
  MigrationStatementError,
  migrate,
  migrationStatus,
} from "../../src/migrator.js";
import { runCli } from "../support/cli-process.js";
import { backends, hasPostgres, postgresUrl } from "../support/databases.js";
import { FIXTURE, migrationsFolder, openDb, rows } from "./support.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An empty project with the fixture's migrations in ./drizzle. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-cause-"));
  dirs.push(dir);
  cpSync(FIXTURE, join(dir, "drizzle"), { recursive: true });
  return dir;
}

/** `drizzle-dsql status` with only DATABASE_URL (or the DSQL variables) set. */
function status(dir: string, env: NodeJS.ProcessEnv) {
  return runCli(["status"], { cwd: dir, env: { HOME: dir, ...env }, clean: true });
}

function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  return u.toString();
}

describe("the CLI names the root cause of a failed connection", () => {
  it("connection refused: ECONNREFUSED, not only the failed query", async () => {
    const run = await status(project(), { DATABASE_URL: "postgres://127.0.0.1:1/x" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("connect ECONNREFUSED 127.0.0.1:1");
    expect(run.stderr).toMatch(/is the database running\?/);
    expect(run.stdout).toBe("");
  }, 30_000);

  it("a host that does not resolve: ENOTFOUND (or EAI_AGAIN without DNS)", async () => {
    const run = await status(project(), { DATABASE_URL: "postgres://no-such-host.invalid/x" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid/);
  }, 30_000);

  it("no AWS credentials for a DSQL endpoint: the IAM token failure", async () => {
    const run = await status(project(), {
      DSQL_ENDPOINT: "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws",
      DSQL_USER: "app_rw",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DSQL token/);
    expect(run.stderr).toMatch(/credentials/i);
    expect(run.stderr).toMatch(/no IAM token could be signed/);
  }, 60_000);

  it.skipIf(!hasPostgres)(
    "a role the server refuses: SQLSTATE 28000",
    async () => {
      const run = await status(project(), { DATABASE_URL: withUser(postgresUrl, "no_such_role") });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/role "no_such_role" does not exist \[28000\]/);
      expect(run.stderr).toMatch(/the server refused the role/);
    },
    30_000,
  );

  it.skipIf(!hasPostgres)(
    "a certificate the client refuses: the TLS failure",
    async () => {
      const url = new URL(postgresUrl);
      url.searchParams.set("sslmode", "verify-full");
      const run = await status(project(), { DATABASE_URL: url.toString() });
      expect(run.code).toBe(1);
      // Self-signed on a TLS server, or "does not support SSL" on one without.
      expect(run.stderr).toMatch(/self-signed certificate|does not support SSL/);
      expect(run.stderr).toMatch(/the TLS handshake failed/);
    },
    30_000,
  );
});

describe("the CLI refuses a folder that is not a migrations folder", () => {
  const env = { DATABASE_URL: "postgres://127.0.0.1:1/x" };

  it("a missing folder", async () => {
    const dir = project();
    const run = await runCli(["migrate", "--migrations-folder", "nope"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`migrations folder not found: ${join(dir, "nope")}`);
    expect(run.stdout).not.toMatch(/no pending/);
  }, 30_000);

  it("a folder without meta/_journal.json", async () => {
    const dir = project();
    mkdirSync(join(dir, "empty"));
    const run = await runCli(["migrate", "--migrations-folder", "empty"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(dir, "empty", "meta", "_journal.json")} not found`);
    expect(run.stdout).not.toMatch(/no pending/);
  }, 30_000);

  it("a truncated journal: names the file", async () => {
    const dir = project();
    const journal = join(dir, "drizzle", "meta", "_journal.json");
    writeFileSync(journal, '{"version":"7","dialect":"postgresql","entries":[{"idx":0,');
    const run = await runCli(["status"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${journal} is not valid JSON`);
  }, 30_000);
});

describe("migrate() and migrationStatus() name the cause", () => {
  it("connection refused is a MigrationDatabaseError carrying ECONNREFUSED", async () => {
    const db = drizzle({ connection: "postgres://127.0.0.1:1/x" });
    try {
      const folder = join(project(), "drizzle");
      const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationDatabaseError);
      expect((error as Error).message).toMatch(
        /^cannot read the migration records \(drizzle\.__drizzle_dsql_migrations\): connect ECONNREFUSED/,
      );
      await expect(migrationStatus(db, { migrationsFolder: folder })).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      await db.$close();
    }
  });

  it.skipIf(!hasPostgres)(
    "a connection killed mid-migration names the server's reason; the lock is released (PostgreSQL)",
    async () => {
      const { db, close } = await openDb("postgres");
      try {
        const folder = migrationsFolder({
          "0000_a": 'CREATE TABLE "a" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid());',
          "0001_killed": "SELECT pg_terminate_backend(pg_backend_pid());",
        });
        const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationStatementError);
        expect((error as Error).message).toMatch(/^migration 0001_killed, statement 1 failed: /);
        expect((error as Error).message).toMatch(
          /\(57P01\): terminating connection due to administrator command/,
        );
        expect(await rows(db, "SELECT owner FROM drizzle.__drizzle_dsql_migrations_lock")).toEqual([
          { owner: null },
        ]);
      } finally {
        await close();
      }
    },
    60_000,
  );

  describe.each(backends)("on $name", ({ name, skip }) => {
    it.skipIf(skip)(
      "a missing journal or a truncated one is a MigrationFileError, nothing applied",
      async () => {
        const { db, close } = await openDb(name);
        try {
          const dir = project();
          mkdirSync(join(dir, "bare"));
          await expect(migrate(db, { migrationsFolder: join(dir, "bare") })).rejects.toThrow(
            MigrationFileError,
          );
          const journal = join(dir, "drizzle", "meta", "_journal.json");
          writeFileSync(journal, '{"entries":[{"idx":0,"tag":"0000_init"');
          await expect(migrate(db, { migrationsFolder: join(dir, "drizzle") })).rejects.toThrow(
            `${journal} is not valid JSON`,
          );
          writeFileSync(journal, '{"entries":[{"idx":0}]}');
          await expect(migrate(db, { migrationsFolder: join(dir, "drizzle") })).rejects.toThrow(
            `${journal}: entry 0 has no "tag" or "idx"`,
          );
          const tables = await db.execute(
            "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema IN ('public', 'drizzle')" as never,
          );
          expect((tables.rows[0] as { n: number }).n).toBe(0);
        } finally {
          await close();
        }
      },
    );
  });
});
