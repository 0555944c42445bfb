import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import pg from "pg";
import { drizzle } from "../driver/drizzle.js";
import { DsqlError } from "../errors.js";
import { migrate } from "../migrator/migrate.js";
import { forgetDatabase, watchCreating, watchDatabase } from "./postgres-reaper.js";

/**
 * PostgreSQL test databases: the migrations run once into a template database
 * `dsql_tpl_<hash>` (kept on the server for later runs, marked complete by a
 * comment), and every test database is `CREATE DATABASE ... TEMPLATE` of it,
 * named `dsql_test_<host>_<pid>_<random>` so that a later run on the same
 * host can drop what a killed process left behind.
 */

const COMPLETE = "drizzle-dsql test template: complete";
const HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 6);
/** The name prefix of the test databases this host creates; a pid and a random tag follow. */
export const CLONE_PREFIX = `dsql_test_${HOST}_`;

/** Databases this process created and has not dropped yet, by name: their admin URL. */
const open = new Map<string, string>();
const templates = new Map<string, Promise<string>>();

/** `url` with its database replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function explain(error: unknown, doing: string): never {
  if (error instanceof DsqlError) throw error;
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  const hint = code === "42501" ? " (the role needs CREATEDB)" : "";
  throw new DsqlError(`createTestDatabase: could not ${doing}: ${reason}${hint}`, {
    cause: error,
    code: typeof code === "string" ? code : undefined,
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Drops test databases that processes of this host, now dead, left behind. */
async function dropOrphans(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
    [CLONE_PREFIX],
  );
  for (const { datname } of rows) {
    const pid = Number(datname.slice(CLONE_PREFIX.length).split("_")[0]);
    // Another process may be dropping the same orphan: its drop is as good as ours.
    if (Number.isInteger(pid) && !processAlive(pid))
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
  }
}

async function buildTemplate(url: string, name: string, migrationsFolder: string): Promise<void> {
  await withAdmin(url, async (admin) => {
    // One builder per template across processes; the others wait here.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    const { rows } = await admin.query<{ note: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows[0]?.note === COMPLETE) return;
    // Missing, or half-built by a process that died: (re)build it.
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const db = drizzle({ connection: { connectionString: databaseUrl(url, name), max: 1 } });
    try {
      await migrate(db, { migrationsFolder });
    } finally {
      await db.$close();
    }
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${COMPLETE}'`);
  });
}

/**
 * Makes sure the migrated template for `hash` exists on the server at `url`
 * (once per process; concurrent processes build it once) and returns its name.
 */
export function postgresTemplate(
  url: string,
  migrationsFolder: string,
  hash: string,
): Promise<string> {
  const name = `dsql_tpl_${hash}`;
  const key = `${url}\0${name}`;
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(url, name, migrationsFolder).then(
      () => name,
      (error: unknown) => explain(error, `build the template database ${name}`),
    );
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

/** Creates a database from `template`, tracked for dropping at exit; returns its name. */
async function createFromTemplate(url: string, template: string): Promise<string> {
  const name = `${CLONE_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  watchCreating(name, url); // a process that ends mid-CREATE still has it dropped
  await withAdmin(url, async (admin) => {
    await dropOrphans(admin);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  }).catch((error: unknown) => {
    forgetDatabase(name);
    explain(error, `create a database from template ${template}`);
  });
  open.set(name, url);
  watchDatabase(name, url);
  dropOpenOnExit();
  return name;
}

/** Per server and template, one database created ahead for the next clone. */
const spares = new Map<string, Promise<string>>();

/**
 * Creates a database from `template`; returns its URL and a function that
 * drops it. Once it exists, the next one is created in the background (and
 * dropped at exit like any other if nobody takes it), so a suite that takes a
 * database per test finds it ready.
 */
export async function postgresClone(
  url: string,
  template: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const key = `${url}\0${template}`;
  const spare = spares.get(key);
  spares.delete(key);
  const name = spare
    ? await spare.catch(() => createFromTemplate(url, template))
    : await createFromTemplate(url, template);
  if (!spares.has(key)) {
    const next = createFromTemplate(url, template);
    next.catch(() => {}); // the clone that takes it creates its own instead
    spares.set(key, next);
  }
  return {
    url: databaseUrl(url, name),
    drop: () => dropClone(url, name),
  };
}

/** Drops test database `name`, no longer tracked here nor, once gone, by the watcher. */
async function dropClone(url: string, name: string): Promise<void> {
  open.delete(name);
  await withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  forgetDatabase(name);
}

/** Settles once every spare database being created is there: benchmarks time clones on a quiet server. */
export async function postgresSparesCreated(): Promise<void> {
  await Promise.all([...spares.values()].map((spare) => spare.catch(() => {})));
}

let hooked = false;

/**
 * Drops the databases still open when the event loop empties (close()
 * forgotten). A process that ends otherwise (process.exit(), a signal) leaves
 * them to the watcher of ./postgres-reaper.ts.
 */
function dropOpenOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("beforeExit", async () => {
    for (const [name, url] of open) await dropClone(url, name).catch(() => {});
  });
}
