import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlError, drizzle, dropTwinObjects } from "../../src/index.js";
import { backends, freshConnection, itOnPostgres } from "../support/databases.js";

const run = promisify(execFile);

describe.each(backends)("the twin's sys objects, on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle>;
  let connection: string;
  let drop: () => Promise<void>;

  const sysObjects = async () =>
    (
      await db.execute<{ item: string }>(
        sql`select 'schema' as item from pg_namespace where nspname = 'sys'
            union all select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'sys' and c.relkind = 'r'
            union all select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'sys'
            order by 1`,
      )
    ).rows.map((r) => r.item);

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    connection = fresh.connection;
    drop = fresh.drop;
    db = drizzle({ connection });
    await db.execute(sql`create table notes (id integer primary key, body text)`);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)(
    "creates them on first ASYNC DDL and removes them with dropTwinObjects",
    async () => {
      expect(await sysObjects()).toEqual([]);
      await db.execute(sql`create index async notes_body on notes (body)`);
      expect(await sysObjects()).toEqual(["jobs", "schema", "wait_for_job"]);
      expect(await dropTwinObjects(db)).toBe(true);
      expect(await sysObjects()).toEqual([]);
      // The user's own index and table are untouched.
      const index = await db.execute(sql`select 1 from pg_class where relname = 'notes_body'`);
      expect(index.rows).toHaveLength(1);
      // The next ASYNC statement brings them back, and its job can be waited on.
      const job = await db.execute<{ job_id: string }>(
        sql`create index async notes_id_body on notes (id, body)`,
      );
      await db.execute(sql.raw(`call sys.wait_for_job('${job.rows[0]?.job_id}')`));
      expect(await sysObjects()).toEqual(["jobs", "schema", "wait_for_job"]);
    },
  );

  it.skipIf(skip)("keeps the sys schema when it holds objects of the user's", async () => {
    await db.$client.query("create table sys.mine (id integer primary key)");
    expect(await dropTwinObjects(db)).toBe(false);
    expect(await sysObjects()).toEqual(["mine", "schema"]);
    await db.$client.query("drop table sys.mine");
    expect(await dropTwinObjects(db)).toBe(true);
    expect(await dropTwinObjects(db)).toBe(false);
  });

  itOnPostgres(name, skip)(
    "stays out of drizzle-kit pull with its default schemaFilter",
    async () => {
      await db.execute(sql`create index async notes_pull on notes (body)`);
      expect(await sysObjects()).toContain("jobs");
      const out = await mkdtemp(join(tmpdir(), "dsql-pull-"));
      try {
        await run(
          process.execPath,
          [
            join(process.cwd(), "node_modules/drizzle-kit/bin.cjs"),
            "pull",
            "--dialect",
            "postgresql",
            "--url",
            connection,
            "--out",
            out,
          ],
          { cwd: process.cwd(), timeout: 90_000 },
        );
        const files = await readdir(out);
        expect(files).toContain("schema.ts");
        const schema = await readFile(join(out, "schema.ts"), "utf8");
        expect(schema).toContain('pgTable("notes"');
        expect(schema).not.toMatch(/\bsys\b|jobs|wait_for_job/);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe("dropTwinObjects on DSQL", () => {
  it("refuses with a DsqlError: there sys belongs to the service", async () => {
    const db = drizzle({
      connection: { host: "abcdefghijklmnopqrst.dsql.eu-west-2.on.aws", user: "app_rw" },
    });
    try {
      await expect(dropTwinObjects(db)).rejects.toBeInstanceOf(DsqlError);
    } finally {
      await db.$close();
    }
  });
});
