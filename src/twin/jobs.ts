import { randomBytes } from "node:crypto";

/** Anything with pg's `query(text, params)`. */
export interface Queryable {
  query(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/**
 * DDL that gives a local database DSQL's job interface: a `sys.jobs` table and
 * a `sys.wait_for_job(id)` procedure that raises when the job failed. The
 * twin creates these once, on first use of an ASYNC statement or `sys.*`.
 */
const SYS_OBJECTS = `
CREATE SCHEMA IF NOT EXISTS sys;
CREATE TABLE IF NOT EXISTS sys.jobs (
  job_id text PRIMARY KEY,
  status text NOT NULL,
  details text,
  object_name text,
  start_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE PROCEDURE sys.wait_for_job(id text) LANGUAGE plpgsql AS $body$
DECLARE found_status text; found_details text;
BEGIN
  SELECT status, details INTO found_status, found_details FROM sys.jobs WHERE job_id = id;
  IF found_status IS NULL THEN
    RAISE EXCEPTION 'job % not found', id USING ERRCODE = '42704';
  ELSIF found_status <> 'completed' THEN
    RAISE EXCEPTION 'job % failed: %', id, found_details USING ERRCODE = 'XX000';
  END IF;
END
$body$;`;

const ready = new WeakMap<object, Promise<void>>();

/**
 * Creates the `sys` job objects once per database handle (`key`), through
 * `client` (inside a transaction, the transaction's own connection: PGlite
 * serialises transactions, so another connection would wait forever).
 */
export function ensureSysObjects(key: object, client: Queryable): Promise<void> {
  let pending = ready.get(key);
  if (!pending) {
    pending = (async () => {
      const probe = await client.query(
        "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'sys' AND p.proname = 'wait_for_job'",
      );
      if (probe.rowCount === 0) await client.query(SYS_OBJECTS);
    })();
    ready.set(key, pending);
    pending.catch(() => ready.delete(key));
  }
  return pending;
}

/** Forgets that the objects exist (after a rollback that may have undone them). */
export function forgetSysObjects(key: object): void {
  ready.delete(key);
}

/** A new job id in DSQL's style (opaque, URL-safe). */
export function newJobId(): string {
  return randomBytes(13)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x");
}

/** Records a finished job and returns DSQL's result row `{ job_id }`. */
export async function recordJob(
  client: Queryable,
  status: "completed" | "failed",
  objectName: string,
  details: string | null,
): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }> {
  return client.query(
    "INSERT INTO sys.jobs (job_id, status, details, object_name) VALUES ($1, $2, $3, $4) RETURNING job_id",
    [newJobId(), status, details, objectName],
  );
}
