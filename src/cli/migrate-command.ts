import { isAbsolute, relative, resolve } from "node:path";
import type { DsqlConnection } from "../driver/backends.js";
import { CliUsageError, describeHolder, messageWithCause } from "../errors.js";
import { drizzle } from "../index.js";
import { type DrizzleProjectConfig, loadDrizzleConfig } from "../migrator/config.js";
import { type MigrationProgress, migrate, migrationStatus } from "../migrator.js";
import type { CliIo } from "./io.js";
import { lockWaitNote, whileSignalled } from "./migrate-signals.js";
import { wantsHelp } from "./usage.js";

interface MigrateFlags {
  config?: string;
  url?: string;
  folder?: string;
  table?: string;
  schema?: string;
  breakStaleLock?: boolean;
}

const USAGE = `Usage: drizzle-dsql migrate|status [options]

  migrate  applies pending migrations one statement at a time (crash- and concurrency-safe)
  status   lists each migration as applied, pending, partial or changed (exit 1 if changed or renamed)

Options:
  --config <file>              drizzle config (default: ./drizzle.config.{ts,mts,js,mjs,cjs,json});
                               evaluated as code, so process.env fallbacks work
  --url <url>                  database: postgres://... or pglite://<folder> | pglite://memory
  --migrations-folder <dir>    migrations folder (default: the config's out, else ./drizzle)
  --migrations-table <name>    tracking table (default: the config's migrations.table,
                               else __drizzle_dsql_migrations)
  --migrations-schema <name>   tracking schema (default: the config's migrations.schema, else drizzle)
  --break-stale-lock           migrate: take over a lock whose holder stopped renewing it (a run
                               killed with kill -9); refused while the holder is alive
  -h, --help                   this text

Database, first that is set wins (the one used is printed on stderr):
  1. --url
  2. DATABASE_URL
  3. the config's dbCredentials (url, or host/port/user/password/database)
  4. DSQL_ENDPOINT + DSQL_USER (Aurora DSQL with IAM auth; region from the endpoint)
`;

function parseFlags(argv: string[]): MigrateFlags {
  const flags: MigrateFlags = {};
  const keys: Record<string, "config" | "url" | "folder" | "table" | "schema"> = {
    "--config": "config",
    "--url": "url",
    "--migrations-folder": "folder",
    "--migrations-table": "table",
    "--migrations-schema": "schema",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--break-stale-lock") {
      flags.breakStaleLock = true;
      continue;
    }
    const [name = "", inline] = arg.split(/=(.*)/s, 2);
    const key = keys[name];
    if (!key) throw new CliUsageError(`unknown option ${arg}`);
    const value = inline ?? argv[++i];
    if (!value) throw new CliUsageError(`${name} needs a value`);
    flags[key] = value;
  }
  return flags;
}

/** A URL for display: the password replaced by ***. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
}

function chooseConnection(
  flags: MigrateFlags,
  config: DrizzleProjectConfig,
  cwd: string,
): { connection: DsqlConnection; source: string } {
  if (flags.url) return { connection: flags.url, source: `--url ${redact(flags.url)}` };
  const env = process.env.DATABASE_URL;
  if (env) return { connection: env, source: `DATABASE_URL ${redact(env)}` };
  const file = config.path ? relative(cwd, config.path) || config.path : "the config";
  const credentials = config.credentials;
  if (credentials?.url) {
    return { connection: credentials.url, source: `${file} ${redact(credentials.url)}` };
  }
  if (credentials?.host) {
    const { url: _url, ssl, ...parts } = credentials;
    const options = ssl === undefined ? parts : { ...parts, ssl };
    return {
      connection: options as DsqlConnection,
      source: `${file} host ${credentials.host}${credentials.user ? ` as ${credentials.user}` : ""}`,
    };
  }
  const host = process.env.DSQL_ENDPOINT;
  const user = process.env.DSQL_USER;
  if (host && user)
    return { connection: { host, user }, source: `DSQL_ENDPOINT ${host} as ${user}` };
  throw new CliUsageError(
    "no database: pass --url, set DATABASE_URL, put dbCredentials in the drizzle config, or set DSQL_ENDPOINT and DSQL_USER",
  );
}

async function setup(argv: string[], io: CliIo, name: string) {
  const flags = parseFlags(argv);
  const config = await loadDrizzleConfig(io.cwd, flags.config);
  const { connection, source } = chooseConnection(flags, config, io.cwd);
  const folder = flags.folder
    ? isAbsolute(flags.folder)
      ? flags.folder
      : resolve(io.cwd, flags.folder)
    : config.out;
  io.stderr(`drizzle-dsql ${name}: database from ${source}\n`);
  const db = drizzle({ connection });
  return {
    db,
    options: {
      migrationsFolder: folder,
      migrationsTable: flags.table ?? config.migrationsTable,
      migrationsSchema: flags.schema ?? config.migrationsSchema,
    },
    breakStaleLock: flags.breakStaleLock === true,
  };
}

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"=".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`;
}

function progressPrinter(io: CliIo): (event: MigrationProgress) => void {
  let line = false;
  const clear = () => {
    if (line) io.stdout("\r\x1b[2K");
    line = false;
  };
  let lastWaitNote = 0;
  return (event) => {
    switch (event.type) {
      case "waiting-for-lock":
        // Every 10 s while waiting, on a terminal too: never a silent wait.
        if (Date.now() - lastWaitNote >= 10_000) {
          lastWaitNote = Date.now();
          clear();
          io.stderr(`${lockWaitNote(event)}\n`);
        }
        break;
      case "lock-broken":
        clear();
        io.stderr(`broke the stale migration lock of ${describeHolder(event.holder)}\n`);
        break;
      case "warning":
        clear();
        io.stderr(`warning: ${event.message}\n`);
        break;
      case "start":
        io.stdout(`${event.pending} statement(s) to apply\n`);
        break;
      case "statement-start":
        if (io.isTTY) {
          clear();
          io.stdout(
            `${bar(event.done, event.pending)} ${event.migration} #${event.statement + 1}: ${event.sql.replace(/\s+/g, " ").slice(0, 50)}`,
          );
          line = true;
        }
        break;
      case "batch":
        if (io.isTTY) {
          clear();
          io.stdout(
            `  ${event.migration} #${event.statement + 1}: backfilled ${event.totalRows} row(s)`,
          );
          line = true;
        }
        break;
      case "statement-done":
        if (!io.isTTY) {
          const note = event.outcome === "already-applied" ? " (already in effect, recorded)" : "";
          io.stdout(`  ✓ ${event.migration} #${event.statement + 1} ${event.ms}ms${note}\n`);
        }
        break;
      case "done":
        clear();
        io.stdout(`✔ applied ${event.applied} statement(s) in ${(event.ms / 1000).toFixed(1)}s\n`);
        break;
    }
  };
}

async function guarded(
  argv: string[],
  io: CliIo,
  name: string,
  body: (ctx: Awaited<ReturnType<typeof setup>>) => Promise<number>,
): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(USAGE);
    return 0;
  }
  let ctx: Awaited<ReturnType<typeof setup>>;
  try {
    ctx = await setup(argv, io, name);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`drizzle-dsql ${name}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`drizzle-dsql ${name}: ${messageWithCause(error)}\n`);
    return 1;
  }
  try {
    return await body(ctx);
  } catch (error) {
    io.stderr(`\ndrizzle-dsql ${name}: ${messageWithCause(error)}\n`);
    return 1;
  } finally {
    await ctx.db.$close();
  }
}

/**
 * `drizzle-dsql migrate [--config drizzle.config.ts] [--break-stale-lock]`:
 * applies pending migrations from the config's `out` folder with
 * drizzle-dsql's migrator. Exit 0 on success, 1 on failure, 2 on usage
 * errors, 130 / 143 when stopped by SIGINT / SIGTERM (the lock is released).
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://localhost/app npx drizzle-dsql migrate --config drizzle.config.ts
 * ```
 */
export function runMigrate(argv: string[], io: CliIo): Promise<number> {
  return guarded(argv, io, "migrate", async ({ db, options, breakStaleLock }) =>
    whileSignalled(io, async (signal) => {
      const result = await migrate(db, {
        ...options,
        breakStaleLock,
        signal,
        onProgress: progressPrinter(io),
      });
      if (result.applied + result.alreadyApplied === 0) io.stdout("✔ no pending migrations\n");
      return 0;
    }),
  );
}

/**
 * `drizzle-dsql status [--config drizzle.config.ts]`: lists each migration as
 * applied, pending, partial or changed. Exit 1 when an applied statement was
 * edited or an applied migration renamed, 0 otherwise.
 *
 * @example
 * ```sh
 * npx drizzle-dsql status
 * ```
 */
export async function runStatus(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes("--break-stale-lock")) {
    io.stderr(`drizzle-dsql status: --break-stale-lock is a migrate option\n\n${USAGE}`);
    return 2;
  }
  return guarded(argv, io, "status", async ({ db, options }) => {
    const status = await migrationStatus(db, options);
    for (const m of status.migrations) {
      const mark = m.state === "applied" ? "✓" : m.state === "changed" ? "✖" : "·";
      io.stdout(`${mark} ${m.tag.padEnd(40)} ${m.state.padEnd(8)} ${m.applied}/${m.statements}\n`);
    }
    for (const c of status.changed) {
      io.stderr(`✖ ${c.migration} statement ${c.statement + 1}: ${c.reason}\n`);
    }
    for (const r of status.renamed) {
      io.stderr(
        `✖ ${r.to} was applied as ${r.from} (same statements, first sha256 ${r.hash.slice(0, 12)}): renamed after it was applied\n`,
      );
    }
    const renamed = new Set(status.renamed.map((r) => r.from));
    for (const tag of status.unknown.filter((t) => !renamed.has(t)))
      io.stdout(`? ${tag}: recorded in the database, not in the journal\n`);
    io.stdout(`${status.pending.length} statement(s) pending\n`);
    return status.changed.length + status.renamed.length > 0 ? 1 : 0;
  });
}
