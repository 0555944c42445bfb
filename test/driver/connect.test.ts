import { existsSync } from "node:fs";
import { AuroraDSQLPool } from "@aws/aurora-dsql-node-postgres-connector";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { DsqlError, DsqlUnsupportedError, drizzle } from "../../src/index.js";
import { hasPostgres, postgresUrl } from "../support/databases.js";
import { runTwinChild } from "../testing/support.js";

const DUMMY_AWS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_PROFILE: undefined,
};

describe("connecting", () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [key, value] of Object.entries(DUMMY_AWS)) {
      saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("builds an AuroraDSQLPool for a DSQL endpoint without connecting, inferring the region", async () => {
    const db = drizzle({
      connection: { host: "abcdefghijklmnopqrst.dsql.eu-west-2.on.aws", user: "app_rw" },
    });
    expect(db.$client).toBeInstanceOf(AuroraDSQLPool);
    const pool = db.$client as AuroraDSQLPool & { options: pg.PoolConfig & { region?: string } };
    expect(pool.options.region).toBe("eu-west-2");
    expect(pool.options.user).toBe("app_rw");
    expect(pool.totalCount).toBe(0);
    await db.$close();
  });

  it("refuses a DSQL endpoint without a user, never defaulting to admin", () => {
    expect(() => drizzle({ connection: { host: "abc.dsql.us-east-1.on.aws" } as never })).toThrow(
      DsqlError,
    );
    expect(() => drizzle({ connection: { host: "abc.dsql.us-east-1.on.aws" } as never })).toThrow(
      /user/,
    );
    expect(() => drizzle({ connection: { host: "abc.dsql.us-east-1.on.aws", user: " " } })).toThrow(
      /admin/,
    );
  });

  it("refuses a postgres:// URL pointing at a DSQL endpoint, and unknown schemes", () => {
    expect(() =>
      drizzle({ connection: "postgres://app@abc.dsql.us-east-1.on.aws/postgres" }),
    ).toThrow(/IAM/);
    expect(() => drizzle({ connection: "mysql://localhost/x" })).toThrow(
      /Unsupported connection string/,
    );
    expect(() => drizzle({} as never)).toThrow(/connection/);
  });

  it("adopts a pool you built", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://nowhere.invalid/x" });
    const db = drizzle({ client: pool });
    expect(db.$client).toBe(pool);
    await db.$close();
  });

  it("serves PGlite in memory through pg and closes it", async () => {
    const db = drizzle({ connection: "pglite://memory" });
    const result = await db.execute<{ v: string }>(sql`select version() as v`);
    expect(result.rows[0]?.v).toMatch(/PostgreSQL/);
    await db.$close();
  });

  it("removes an open PGlite twin's socket folder when the process calls process.exit()", async () => {
    const run = await runTwinChild(["pglite://memory", "pglite-exit"], {}, 60_000);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    const folder = JSON.parse(run.stdout) as string;
    expect(folder).toContain("dsql-pglite-");
    expect(existsSync(folder)).toBe(false);
  });

  it("keeps PGlite data in a folder across handles", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "dsql-pglite-data-"));
    try {
      const first = drizzle({ connection: `pglite://${dir}` });
      await first.execute(sql`create table kept (v text)`);
      await first.execute(sql`insert into kept values ('still here')`);
      await first.$close();
      const second = drizzle({ connection: `pglite://${dir}` });
      const rows = await second.execute<{ v: string }>(sql`select v from kept`);
      expect(rows.rows).toEqual([{ v: "still here" }]);
      await second.$close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasPostgres || !inject("postgresTls"))(
    "connects end to end through AuroraDSQLPool over TLS with a signed token as password",
    async () => {
      const url = new URL(postgresUrl);
      const db = drizzle({
        connection: {
          host: url.hostname,
          port: Number(url.port),
          user: "postgres",
          region: "us-east-1",
          database: "postgres",
          ssl: { rejectUnauthorized: false },
          max: 2,
        },
      });
      expect(db.$client).toBeInstanceOf(AuroraDSQLPool);
      const result = await db.execute<{ ssl: boolean; app: string }>(
        sql`select ssl, current_setting('application_name') as app from pg_stat_ssl where pid = pg_backend_pid()`,
      );
      expect(result.rows[0]?.ssl).toBe(true);
      expect(result.rows[0]?.app).toMatch(/aurora-dsql-nodejs-pg/);
      const password = String(
        (db.$client as unknown as { options: { password?: string } }).options.password,
      );
      expect(password).toMatch(/X-Amz-Signature=/);
      expect(password).toMatch(/Action=DbConnect(&|$)/);
      expect(password).toMatch(/us-east-1/);
      // The DSQL path does not run the twin: DSQL itself enforces its rules.
      // Plain PostgreSQL accepts a serial column, proving no local refusal.
      await db.execute(sql`create table t_dsql_path (v serial)`);
      await db.$close();
    },
  );

  it("refuses an unknown dsqlRules value and an invalid tenant config", () => {
    expect(() => drizzle({ connection: "pglite://memory", dsqlRules: "maybe" as never })).toThrow(
      DsqlError,
    );
    expect(() => drizzle({ connection: "pglite://memory", tenant: { column: "" } })).toThrow(
      DsqlError,
    );
  });

  it("dsqlRules: off lets a local backend run what DSQL refuses", async () => {
    const strict = drizzle({ connection: "pglite://memory" });
    await expect(strict.execute(sql`create table tmp (v serial)`)).rejects.toBeInstanceOf(
      DsqlUnsupportedError,
    );
    await strict.$close();
    const lax = drizzle({ connection: "pglite://memory", dsqlRules: "off" });
    await lax.execute(sql`create table tmp (v serial)`);
    await lax.$close();
  }, 120_000);
});
