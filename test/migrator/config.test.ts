import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DsqlError } from "../../src/index.js";
import { loadDrizzleConfig } from "../../src/migrator/config.js";
import { DrizzleConfigError } from "../../src/migrator.js";
import { runCli } from "../support/cli.js";
import { backends, createPgDatabase } from "../support/databases.js";
import { FIXTURE } from "./support.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An app folder: node_modules (so the config's imports resolve) and `files`. */
function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-config-"));
  dirs.push(dir);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const EVALUATED = `import { defineConfig } from "drizzle-kit";
import { migrationsDir } from "./config/paths";
import { DrizzleConfigError } from "../../src/errors.js";

// out: "./old",
/* dbCredentials: { url: "postgres://nobody@127.0.0.1:1/commented" }, */
export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/schema.ts"],
  casing: "snake_case",
  out: process.env.TEST_OUT_DIR ?? migrationsDir,
  dbCredentials: { url: process.env.DATABASE_URL ?? "pglite://./.data" },
  migrations: { table: "applied_" + "statements", schema: "ops" },
});
`;

describe("loadDrizzleConfig evaluates the config", () => {
  it("runs TypeScript with imports and env fallbacks, ignoring comments", async () => {
    const dir = app({
      "drizzle.config.ts": EVALUATED,
      "config/paths.ts": `export const migrationsDir: string = "./migrations";\n`,
    });
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const config = await loadDrizzleConfig(dir);
      expect(config).toMatchObject({
        path: join(dir, "drizzle.config.ts"),
        out: join(dir, "migrations"),
        schema: ["./src/schema.ts"],
        casing: "snake_case",
        dialect: "postgresql",
        url: "pglite://./.data",
        migrationsTable: "applied_statements",
        migrationsSchema: "ops",
      });
      process.env.DATABASE_URL = "postgres://u@h/db";
      process.env.TEST_OUT_DIR = "./elsewhere";
      const again = await loadDrizzleConfig(dir, "drizzle.config.ts");
      expect(again.url).toBe("postgres://u@h/db");
      expect(again.out).toBe(join(dir, "elsewhere"));
    } finally {
      delete process.env.TEST_OUT_DIR;
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('resolves tsconfig paths aliases the config imports (import { env } from "~/env")', async () => {
    const dir = app({
      "tsconfig.json": JSON.stringify({
        compilerOptions: { baseUrl: ".", paths: { "~/*": ["./src/*"] } },
      }),
      "src/env.ts": `export const env = { DATABASE_URL: "postgres://app@db.internal/app" as string };\n`,
      "drizzle.config.ts": `import { env } from "~/env";\nexport default { dialect: "postgresql", out: "./m", dbCredentials: { url: env.DATABASE_URL } };\n`,
    });
    const config = await loadDrizzleConfig(dir);
    expect(config.url).toBe("postgres://app@db.internal/app");
    expect(config.out).toBe(join(dir, "m"));
  });

  it("reads host/port/user/database credentials, CommonJS and JSON configs", async () => {
    const dir = app({
      "drizzle.config.cjs": `module.exports = { dialect: "postgresql", dbCredentials: { host: "db.local", port: 6543, user: "app", database: "main" } };\n`,
      "drizzle.config.json": `{ "out": "./json-out" }`,
    });
    const cjs = await loadDrizzleConfig(dir, "drizzle.config.cjs");
    expect(cjs.credentials).toEqual({
      host: "db.local",
      port: 6543,
      user: "app",
      database: "main",
    });
    expect(cjs.out).toBe(join(dir, "drizzle"));
    expect((await loadDrizzleConfig(dir, "drizzle.config.json")).out).toBe(join(dir, "json-out"));
  });

  it("refuses what it cannot use with a DrizzleConfigError naming the file and field", async () => {
    const dir = app({
      "throws.ts": `throw new Error("config exploded");\n`,
      "mysql.ts": `export default { dialect: "mysql" };\n`,
      "port.ts": `export default { dialect: "postgresql", dbCredentials: { port: "5432" } };\n`,
      "nothing.ts": `export const x = 1;\n`,
    });
    const cases: [string, RegExp][] = [
      ["throws.ts", /throws\.ts: the config failed to load: config exploded/],
      ["mysql.ts", /mysql\.ts: dialect is "mysql"/],
      ["port.ts", /port\.ts: dbCredentials\.port must be a number, got "5432"/],
      ["nothing.ts", /nothing\.ts: the config must export an object/],
      ["missing.ts", /config file not found: .*missing\.ts/],
    ];
    for (const [file, message] of cases) {
      const error = await loadDrizzleConfig(dir, file).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(DrizzleConfigError);
      expect(error).toBeInstanceOf(DsqlError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

async function tables(url: string, schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
      [schema],
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe.skipIf(backends[1]?.skip)("drizzle-dsql migrate: which database (PostgreSQL)", () => {
  it("--url beats DATABASE_URL, which beats the config's literal url; the one used is printed", async () => {
    const [inConfig, inEnv, inFlag] = [
      await createPgDatabase(),
      await createPgDatabase(),
      await createPgDatabase(),
    ];
    try {
      const dir = app({
        "drizzle.config.ts": `export default { dialect: "postgresql", out: "./drizzle", dbCredentials: { url: ${JSON.stringify(inConfig.url)} }, migrations: { table: "applied", schema: "ops" } };\n`,
      });
      cpSync(FIXTURE, join(dir, "drizzle"), { recursive: true });
      const env = { DATABASE_URL: inEnv.url };
      const viaEnv = await runCli(["migrate"], dir, env);
      expect(viaEnv.code, viaEnv.stderr).toBe(0);
      expect(viaEnv.stderr).toContain(`database from DATABASE_URL ${inEnv.url}`);
      expect(await tables(inEnv.url, "public")).toContain("users");
      expect(await tables(inEnv.url, "ops")).toEqual(["applied", "applied_lock"]);
      expect(await tables(inConfig.url, "public")).toEqual([]);

      const viaFlag = await runCli(["status", "--url", inFlag.url], dir, env);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stderr).toContain(`database from --url ${inFlag.url}`);
      expect(viaFlag.stdout).toMatch(/27 statement\(s\) pending/);

      const viaConfig = await runCli(["migrate", "--migrations-table", "mine"], dir, {
        DATABASE_URL: undefined,
      });
      expect(viaConfig.code, viaConfig.stderr).toBe(0);
      expect(viaConfig.stderr).toMatch(/database from drizzle\.config\.ts postgres:\/\//);
      expect(await tables(inConfig.url, "ops")).toEqual(["mine", "mine_lock"]);
    } finally {
      await Promise.all([inConfig.drop(), inEnv.drop(), inFlag.drop()]);
    }
  }, 90_000);
});

describe("drizzle-dsql migrate with an evaluated TypeScript config (PGlite)", () => {
  it("uses the env fallback url and the config's out (migrate, then check without paths)", async () => {
    const dir = app({
      "drizzle.config.ts": EVALUATED,
      "config/paths.ts": `export const migrationsDir: string = "./migrations";\n`,
    });
    cpSync(FIXTURE, join(dir, "migrations"), { recursive: true });
    const run = await runCli(["migrate"], dir, { DATABASE_URL: undefined });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("database from drizzle.config.ts pglite://./.data");
    expect(run.stdout).toMatch(/✔ applied 27 statement\(s\)/);
    // check without paths lints the config's out folder.
    const checked = await runCli(["check", "--json"], dir);
    expect(JSON.parse(checked.stdout).files.map((f: { path: string }) => f.path)).toEqual([
      "migrations/0000_init.sql",
      "migrations/0001_more_columns.sql",
    ]);
  }, 120_000);
});
