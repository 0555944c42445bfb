import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import * as schema from "../../examples/schema.js";
import { DsqlError } from "../../src/index.js";
import { MigrationFileError } from "../../src/migrator.js";
import { migrationsHash } from "../../src/testing/migrations-hash.js";
import { pgliteSpareCount, pgliteSparesCreated } from "../../src/testing/pglite-clone.js";
import { CLONE_PREFIX } from "../../src/testing/postgres-clone.js";
import { createTestDatabase } from "../../src/testing.js";
import { backends, hasPostgres, postgresUrl } from "../support/databases.js";
import { databases, databasesLeft, runTwinChild } from "./support.js";

const EXAMPLE_MIGRATIONS = resolve("drizzle");
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A migrations folder of one migration creating `table`, unique to this call. */
function oneTableFolder(table: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-testdb-"));
  folders.push(dir);
  writeFileSync(
    join(dir, "0000_init.sql"),
    `-- ${dir}\nCREATE TABLE ${table} (id text PRIMARY KEY NOT NULL);`,
  );
  const entry = { idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true };
  mkdirSync(join(dir, "meta"));
  writeFileSync(
    join(dir, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries: [entry] }),
  );
  return dir;
}

const open = (backend: "pglite" | "postgres") =>
  createTestDatabase({
    migrationsFolder: EXAMPLE_MIGRATIONS,
    backend,
    url: backend === "postgres" ? postgresUrl : undefined,
    schema,
  });

for (const { name: backend, skip } of backends) {
  describe.skipIf(skip)(`createTestDatabase on ${backend}`, () => {
    it("gives each caller its own migrated database: writes in one are not seen in another", async () => {
      const [a, b] = await Promise.all([open(backend), open(backend)]);
      try {
        await a.db.insert(schema.tenants).values({ id: "t1", name: "Acme" });
        expect(await a.db.query.tenants.findMany()).toEqual([
          { id: "t1", name: "Acme", plan: "free" },
        ]);
        expect(await b.db.select().from(schema.tenants)).toEqual([]);
        const c = await open(backend);
        expect(await c.db.select().from(schema.tenants)).toEqual([]);
        await c.close();
        // DSQL's rules are on, as on any twin.
        await expect(a.db.execute(sql`truncate tenants`)).rejects.toThrow(DsqlError);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}

describe("createTestDatabase: close() removes the database", () => {
  it("pglite: the instance is stopped and its socket folder is gone", async () => {
    const t = await open("pglite");
    const socketDir = String((t.db.$client as pg.Pool).options.host);
    expect(existsSync(socketDir)).toBe(true);
    await t.close();
    expect(existsSync(socketDir)).toBe(false);
  });

  it.skipIf(!hasPostgres)("postgres: the database is dropped", async () => {
    const t = await open("postgres");
    const { rows } = await t.db.execute<{ name: string }>(sql`select current_database() as name`);
    const name = rows[0]?.name ?? "";
    expect(name.startsWith(CLONE_PREFIX)).toBe(true);
    expect(await databases()).toContain(name);
    await t.close();
    expect(await databases()).not.toContain(name);
  });
});

describe("createTestDatabase on pglite: the spare loaded ahead", () => {
  it("is handed out next, and never sees what earlier databases wrote", async () => {
    await open("pglite").then((t) => t.close()); // the second database on starts spares
    const first = await open("pglite");
    await first.db.insert(schema.tenants).values({ id: "t1", name: "Acme" });
    await pgliteSparesCreated();
    expect(pgliteSpareCount()).toBe(1);
    const spare = await open("pglite"); // the spare, loaded before `first` was written to
    expect(pgliteSpareCount()).toBe(0);
    try {
      expect(await spare.db.select().from(schema.tenants)).toEqual([]);
      await spare.db.insert(schema.tenants).values({ id: "t2", name: "Globex" });
      await first.close();
      await pgliteSparesCreated();
      expect(pgliteSpareCount()).toBe(1); // loaded after `spare` was handed out
      const next = await open("pglite");
      try {
        expect(await next.db.select().from(schema.tenants)).toEqual([]);
        expect(await spare.db.select().from(schema.tenants)).toEqual([
          { id: "t2", name: "Globex", plan: "free" },
        ]);
      } finally {
        await next.close();
      }
    } finally {
      await spare.close();
    }
  });

  it("close() stops a handed-out spare: its socket is gone and it takes no connection", async () => {
    await open("pglite").then((t) => t.close());
    await pgliteSparesCreated();
    expect(pgliteSpareCount()).toBe(1);
    const t = await open("pglite");
    const socketDir = String((t.db.$client as pg.Pool).options.host);
    await t.db.execute(sql`select 1`);
    await t.close();
    expect(existsSync(socketDir)).toBe(false);
    const client = new pg.Client({ host: socketDir, port: 5432, user: "postgres" });
    await expect(client.connect()).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });

  it("a process that took databases and closed them exits by itself, a spare loaded", async () => {
    const [many, one] = await Promise.all([
      runTwinChild(["", "pglite-testdb", oneTableFolder("widgets"), "3"], {}, 60_000),
      runTwinChild(["", "pglite-testdb", oneTableFolder("widgets"), "1"], {}, 60_000),
    ]);
    expect([many.signal, many.code, many.stderr]).toEqual([null, 0, ""]);
    // Each database starts empty though the one before got a row; a spare was waiting at exit.
    expect(JSON.parse(many.stdout)).toEqual({ seen: [0, 0, 0], spares: 1 });
    // One database in the process (one per test file): no spare is loaded for nothing.
    expect([one.signal, one.code, one.stderr]).toEqual([null, 0, ""]);
    expect(JSON.parse(one.stdout)).toEqual({ seen: [0], spares: 0 });
  });

  it("two processes building one migrated snapshot at once both succeed", async () => {
    const folder = oneTableFolder("widgets");
    const [a, b] = await Promise.all([
      runTwinChild(["", "pglite-testdb", folder, "2"], {}, 90_000),
      runTwinChild(["", "pglite-testdb", folder, "2"], {}, 90_000),
    ]);
    expect([a.signal, a.code, a.stderr, b.signal, b.code, b.stderr]).toEqual([
      null,
      0,
      "",
      null,
      0,
      "",
    ]);
    expect(JSON.parse(a.stdout)).toEqual({ seen: [0, 0], spares: 1 });
    expect(JSON.parse(b.stdout)).toEqual({ seen: [0, 0], spares: 1 });
  });
});

describe.skipIf(!hasPostgres)("createTestDatabase on postgres: processes and crashes", () => {
  it("two processes building one template at once both succeed; their databases go at exit", async () => {
    const folder = oneTableFolder("widgets");
    const [a, b] = await Promise.all([
      runTwinChild([postgresUrl, "leave", folder], {}),
      runTwinChild([postgresUrl, "leave", folder], {}),
    ]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, "", 0, ""]);
    const names = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(names[0]).not.toBe(names[1]);
    const left = await databases();
    expect(left.filter((name) => names.includes(name))).toEqual([]);
    expect(left.filter((name) => name === `dsql_tpl_${migrationsHash(folder)}`)).toHaveLength(1);
  });

  for (const [mode, how] of [
    ["exit", "process.exit() (as test runners end their workers)"],
    ["hang", "SIGKILL"],
  ] as const) {
    it(`a process ended by ${how} has its databases dropped, spare included`, async () => {
      const folder = oneTableFolder("widgets");
      const run = await runTwinChild([postgresUrl, mode, folder], {}, 60_000, mode === "hang");
      if (mode === "hang") expect(run.signal).toBe("SIGKILL");
      else expect([run.code, run.stderr]).toEqual([0, ""]);
      const { pid } = JSON.parse(run.stdout) as { pid: number };
      expect(await databasesLeft((name) => name.startsWith(`${CLONE_PREFIX}${pid}_`))).toEqual([]);
    });
  }

  it("rebuilds a template a crashed build left half-made, and drops a dead process's database", async () => {
    const folder = oneTableFolder("gadgets");
    const orphan = `${CLONE_PREFIX}4194305_deadbeef`; // above Linux's pid_max: never alive
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "dsql_tpl_${migrationsHash(folder)}"`); // no tables, no mark
      await admin.query(`CREATE DATABASE "${orphan}"`);
    } finally {
      await admin.end();
    }
    const t = await createTestDatabase({
      migrationsFolder: folder,
      backend: "postgres",
      url: postgresUrl,
    });
    try {
      expect((await t.db.execute(sql`select count(*)::int as n from gadgets`)).rows).toEqual([
        { n: 0 },
      ]);
      expect(await databases()).not.toContain(orphan);
    } finally {
      await t.close();
    }
  });
});

describe("createTestDatabase: bad input", () => {
  it("names a missing migrations folder, a bad backend and a folder without a journal", async () => {
    const missing = join(tmpdir(), "dsql-no-such-folder");
    await expect(
      createTestDatabase({ migrationsFolder: missing, backend: "pglite" }),
    ).rejects.toThrow(
      new DsqlError(`createTestDatabase: migrationsFolder "${missing}" is not a folder`),
    );
    await expect(
      createTestDatabase({ migrationsFolder: EXAMPLE_MIGRATIONS, backend: "mysql" as "pglite" }),
    ).rejects.toThrow(/backend must be "pglite" or "postgres", got mysql/);
    const empty = mkdtempSync(join(tmpdir(), "dsql-testdb-empty-"));
    folders.push(empty);
    const none = createTestDatabase({ migrationsFolder: empty, backend: "pglite" });
    await expect(none).rejects.toBeInstanceOf(MigrationFileError);
    // A folder without a journal is not a migrations folder (readMigrations says so).
    await expect(none).rejects.toThrow(`${join(empty, "meta", "_journal.json")} not found`);
  });

  it("asks for a url (or DATABASE_URL) on postgres, and refuses other schemes", async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const noUrl = createTestDatabase({
        migrationsFolder: EXAMPLE_MIGRATIONS,
        backend: "postgres",
      });
      await expect(noUrl).rejects.toBeInstanceOf(DsqlError);
      await expect(noUrl).rejects.toThrow(/needs `url` or DATABASE_URL/);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
    await expect(
      createTestDatabase({
        migrationsFolder: EXAMPLE_MIGRATIONS,
        backend: "postgres",
        url: "mysql://localhost/x",
      }),
    ).rejects.toThrow(/url must be postgres:\/\/\.\.\., got "mysql:\.\.\."/);
  });
});
