import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import { type DsqlDatabase, drizzle } from "../src/index.js";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.js";
import { SETUP_SQL, schema } from "./schema.js";

/** A PostgreSQL database of the benchmark's own, with its data loaded. */
export interface BenchPostgres {
  url: string;
  host: string;
  port: number;
  version: string;
  stop(): Promise<void>;
}

/** The postmaster's pid: the parent of our backend (we started the server, so we may stop it). */
async function postmasterPid(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backend = Number((await client.query("SELECT pg_backend_pid() AS pid")).rows[0]?.pid);
    const stat = readFileSync(`/proc/${backend}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/**
 * Fast shutdown of the server we started: the test helper signals `runuser`,
 * which does not pass SIGINT on, so PostgreSQL outlives it; signal the
 * postmaster itself and wait for it to go.
 */
async function shutDown(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runSetup(query: (sql: string) => Promise<unknown>): Promise<void> {
  for (const statement of SETUP_SQL) await query(statement);
}

/** Uses DATABASE_URL or starts a throwaway PostgreSQL as the tests do; makes a fresh database. */
export async function openPostgres(): Promise<BenchPostgres> {
  let serverUrl = process.env.DATABASE_URL ?? "";
  let stopServer = async () => {};
  if (!serverUrl) {
    const bin = findPostgresBin();
    if (!bin) throw new Error("no PostgreSQL under /usr/lib/postgresql and no DATABASE_URL");
    const server = await startPostgres(bin);
    serverUrl = server.url;
    const pid = await postmasterPid(server.url);
    stopServer = async () => {
      await shutDown(pid);
      await server.stop();
    };
  }
  const name = `bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const version = String((await admin.query("SHOW server_version")).rows[0]?.server_version ?? "?");
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await runSetup((sql) => client.query(sql));
  await client.end();
  return {
    url: url.toString(),
    host: url.hostname,
    port: Number(url.port || 5432),
    version,
    async stop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopServer();
    },
  };
}

/** An embedded PGlite (drizzle-dsql's pglite:// backend) with the benchmark data loaded. */
export interface BenchPglite {
  /** The embedded server's pool (pg over pglite-socket): every variant shares it. */
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function openPglite(): Promise<BenchPglite> {
  const db: DsqlDatabase<typeof schema> = drizzle({ connection: "pglite://memory", schema });
  const pool = db.$client as pg.Pool;
  await runSetup((sql) => pool.query(sql));
  return { pool, close: () => db.$close() };
}
