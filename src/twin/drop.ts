import { DsqlError } from "../errors.js";
import type { TwinExecutor } from "./executor.js";
import type { Queryable } from "./jobs.js";

/** What {@link dropTwinObjects} reads from a drizzle-dsql db handle (a `DsqlDatabase`). */
export interface TwinDatabase {
  readonly $client: unknown;
  readonly _: {
    readonly session: { readonly context: { readonly twin: TwinExecutor | undefined } };
  };
}

/**
 * Removes what the local twin created in the user's database to emulate
 * DSQL's job interface: the `sys.wait_for_job(text)` procedure, the
 * `sys.jobs` table and, when nothing else is left in it, the `sys` schema.
 * Objects of your own in `sys` are kept. The twin creates them again on the
 * next `CREATE INDEX ASYNC`, `ALTER TABLE ASYNC` or `sys.*` reference.
 *
 * drizzle-kit never sees them as long as its `schemaFilter` stays at its
 * default (`["public"]`): `push`, `pull` and `generate` leave `sys` alone.
 *
 * @param db A drizzle-dsql database on a local twin (PGlite or PostgreSQL).
 * @returns Whether the `sys` schema itself was dropped.
 * @throws DsqlError on DSQL itself, where `sys` belongs to the service.
 *
 * @example
 * ```ts
 * import { drizzle, dropTwinObjects } from "drizzle-dsql";
 * const db = drizzle({ connection: "pglite://./.data" });
 * await db.execute(sql`create index async notes_body on notes (body)`);
 * await dropTwinObjects(db); // sys.jobs and sys.wait_for_job are gone
 * ```
 */
export async function dropTwinObjects(db: TwinDatabase): Promise<boolean> {
  const { twin } = db._.session.context;
  if (!twin) {
    throw new DsqlError(
      "dropTwinObjects runs only on a local twin: on Aurora DSQL the sys schema belongs to the service",
    );
  }
  const client = db.$client as unknown as Queryable;
  await client.query("DROP PROCEDURE IF EXISTS sys.wait_for_job(text)");
  await client.query("DROP TABLE IF EXISTS sys.jobs");
  twin.forgetSysObjects();
  const left = await client.query(
    `select 1 from pg_namespace n where n.nspname = 'sys' and not exists (
       select 1 from pg_class c where c.relnamespace = n.oid
       union all select 1 from pg_proc p where p.pronamespace = n.oid
       union all select 1 from pg_type t where t.typnamespace = n.oid)`,
  );
  if (left.rows.length === 0) return false;
  await client.query("DROP SCHEMA sys");
  return true;
}
