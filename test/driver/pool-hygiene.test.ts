import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DsqlError,
  DsqlSessionStateError,
  DsqlUnsupportedError,
  drizzle,
  withTenant,
} from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const notes = pgTable("notes", { id: integer("id").notNull() });

const OUTSIDE = [
  sql`begin`,
  sql`BEGIN ISOLATION LEVEL SERIALIZABLE`,
  sql`start transaction`,
  sql`commit`,
  sql`end`,
  sql`rollback`,
  sql`abort`,
  sql`savepoint s1`,
  sql`release savepoint s1`,
  sql`select 1; begin`,
  sql`set search_path to pg_catalog`,
  sql`set session statement_timeout = 1`,
  sql`SET TIME ZONE 'Asia/Tokyo'`,
  sql`set role postgres`,
  sql`set session characteristics as transaction read only`,
  sql`reset all`,
  sql`discard all`,
  sql`select set_config('app.user', 'mallory', false)`,
  sql`select pg_advisory_lock(1)`,
  sql`prepare p as select 1`,
  sql`listen channel`,
  sql`create temp table scratch (v int)`,
  sql`select 1 into temporary scratch2`,
];

describe.each(backends)("pool hygiene on $name", ({ name, skip }) => {
  for (const rules of ["enforce", "off"] as const) {
    describe(`dsqlRules ${rules}`, () => {
      let db: ReturnType<typeof drizzle>;
      let drop: () => Promise<void>;
      const pid = async () =>
        (await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]?.pid;
      const setting = async (what: string) =>
        (await db.execute<{ v: string }>(sql`select current_setting(${what}) as v`)).rows[0]?.v;

      beforeAll(async () => {
        if (skip) return;
        const fresh = await freshConnection(name);
        drop = fresh.drop;
        // One connection: whatever a call leaves on it, the next call gets.
        db = drizzle({
          connection: { connectionString: fresh.connection, max: 1 },
          dsqlRules: rules,
        });
        await db.execute(sql`create table notes (id integer not null)`);
      });

      afterAll(async () => {
        if (skip) return;
        await db.$close();
        await drop();
      });

      it.skipIf(skip)(
        "refuses transaction control and session state outside db.transaction(), sending nothing",
        async () => {
          const before = await setting("search_path");
          for (const statement of OUTSIDE) {
            const error = await db.execute(statement).catch((e: unknown) => e);
            // A twin enforcing DSQL's rules may refuse it first, as DSQL would.
            const expected =
              rules === "enforce" && error instanceof DsqlUnsupportedError
                ? DsqlUnsupportedError
                : DsqlSessionStateError;
            expect(error, JSON.stringify(statement.queryChunks)).toBeInstanceOf(expected);
          }
          const named = await db.execute(sql`set search_path to pg_catalog`).catch((e) => e);
          expect((named as Error).message).toContain('"set search_path to pg_catalog"');
          expect(await setting("search_path")).toBe(before);
          // The next caller's writes are its own: no open transaction to roll them back.
          await db.insert(notes).values({ id: 1 });
          const other = drizzle({ client: db.$client });
          expect(await other.$count(notes)).toBe(1);
          // Statements that only look alike still run.
          await db.execute(sql`select 'begin; commit' as text, 1 as set`);
          await db.execute(sql`set local statement_timeout = 1000`);
          await db.execute(sql`show search_path`);
          await db.delete(notes);
        },
      );

      it.skipIf(skip)(
        "a tenant-scoped handle refuses them too; the shared connection is never left in a transaction",
        async () => {
          const tenantNotes = pgTable("tenant_notes", {
            id: integer("id").notNull(),
            tenantId: text("tenant_id").notNull(),
          });
          const scoped = drizzle({
            client: db.$client,
            schema: { tenantNotes },
            tenant: { column: "tenant_id" },
            dsqlRules: rules,
          });
          const t = withTenant(scoped, "t1");
          for (const statement of [sql`begin`, sql`rollback`, sql`set search_path to pg_catalog`]) {
            const error = await t.execute(statement).catch((e: unknown) => e);
            expect(error, JSON.stringify(statement.queryChunks)).toBeInstanceOf(DsqlError);
          }
          // Outside a transaction every statement is its own: now() is this statement's time.
          const fresh = await db.execute<{ fresh: boolean }>(
            sql`select now() = statement_timestamp() as fresh`,
          );
          expect(fresh.rows[0]?.fresh).toBe(true);
        },
      );

      it.skipIf(skip)(
        "inside db.transaction(): SET LOCAL keeps the connection; a session SET destroys it; COMMIT is refused",
        async () => {
          const first = await pid();
          await db.transaction(async (tx) => {
            await tx.execute(sql`set local search_path to pg_catalog`);
          });
          expect(await pid()).toBe(first);
          const dirty = db.transaction(async (tx) => {
            await tx.execute(sql`set search_path to pg_catalog, public`);
            await tx.execute(sql`select set_config('app.user', 'mallory', false)`);
          });
          // Embedded PGlite has one session behind every connection: refused there.
          if (name === "pglite") await expect(dirty).rejects.toBeInstanceOf(DsqlSessionStateError);
          else await dirty;
          // The connection that carried the session settings was not pooled again.
          expect(await setting("search_path")).not.toContain("pg_catalog, public");
          const user = await db.execute<{ v: string | null }>(
            sql`select current_setting('app.user', true) as v`,
          );
          expect(user.rows[0]?.v ?? "").toBe("");
          const error = await db
            .transaction(async (tx) => {
              await tx.insert(notes).values({ id: 2 });
              await tx.execute(sql`commit`);
            })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DsqlSessionStateError);
          expect(await db.$count(notes)).toBe(0);
        },
      );
    });
  }
});
