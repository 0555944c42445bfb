import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createJiti } from "jiti";
import { DrizzleConfigError } from "../errors.js";

/**
 * `dbCredentials` of a PostgreSQL drizzle config: a `url`, or the parts of a
 * connection (`host` + `user` is an Aurora DSQL endpoint when the host is one).
 */
export interface DrizzleCredentials {
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: unknown;
}

/** What drizzle-dsql uses from a drizzle config (`drizzle.config.*`). */
export interface DrizzleProjectConfig {
  /** The config file evaluated, absolute; undefined when none was found. */
  path: string | undefined;
  /** The migrations folder, absolute (drizzle-kit's `out`, default `./drizzle`). */
  out: string;
  /** `schema`: the schema file(s) drizzle-kit reads, as written. */
  schema?: string | string[];
  /** `dialect`; drizzle-dsql works with `postgresql` only. */
  dialect?: string;
  /** `casing` (`snake_case` / `camelCase`), as drizzle-kit applies it. */
  casing?: string;
  /** `dbCredentials`, when the config has them. */
  credentials?: DrizzleCredentials;
  /** `dbCredentials.url`, when the config has one. */
  url?: string;
  /** `dbCredentials.host` / `user` (an Aurora DSQL endpoint and role), when given. */
  host?: string;
  user?: string;
  /** `migrations.table` / `migrations.schema`. */
  migrationsTable?: string;
  migrationsSchema?: string;
}

const CANDIDATES = [
  "drizzle.config.ts",
  "drizzle.config.mts",
  "drizzle.config.cts",
  "drizzle.config.js",
  "drizzle.config.mjs",
  "drizzle.config.cjs",
  "drizzle.config.json",
];

type Fields = Record<string, unknown>;

function field<T extends string | number>(
  object: Fields,
  key: string,
  type: "string" | "number",
  where: string,
  path: string,
): T | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) {
    throw new DrizzleConfigError(
      `${path}: ${where}${key} must be a ${type}, got ${JSON.stringify(value)}`,
      path,
    );
  }
  return value as T;
}

function section(object: Fields, key: string, path: string): Fields {
  const value = object[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new DrizzleConfigError(`${path}: ${key} must be an object`, path);
  }
  return value as Fields;
}

function fromObject(
  config: Fields,
  path: string,
): Omit<DrizzleProjectConfig, "path" | "out"> & {
  out?: string;
} {
  const dialect = field<string>(config, "dialect", "string", "", path);
  if (dialect !== undefined && dialect !== "postgresql") {
    throw new DrizzleConfigError(
      `${path}: dialect is "${dialect}"; drizzle-dsql needs dialect "postgresql"`,
      path,
    );
  }
  const schema = config.schema;
  if (
    schema !== undefined &&
    typeof schema !== "string" &&
    !(Array.isArray(schema) && schema.every((s) => typeof s === "string"))
  ) {
    throw new DrizzleConfigError(`${path}: schema must be a path or a list of paths`, path);
  }
  const creds = section(config, "dbCredentials", path);
  const migrations = section(config, "migrations", path);
  const credentials: DrizzleCredentials = {
    url: field(creds, "url", "string", "dbCredentials.", path),
    host: field(creds, "host", "string", "dbCredentials.", path),
    port: field(creds, "port", "number", "dbCredentials.", path),
    user: field(creds, "user", "string", "dbCredentials.", path),
    password: field(creds, "password", "string", "dbCredentials.", path),
    database: field(creds, "database", "string", "dbCredentials.", path),
    ssl: creds.ssl,
  };
  for (const key of Object.keys(credentials) as (keyof DrizzleCredentials)[]) {
    if (credentials[key] === undefined) delete credentials[key];
  }
  return {
    out: field(config, "out", "string", "", path),
    schema: schema as string | string[] | undefined,
    dialect,
    casing: field(config, "casing", "string", "", path),
    credentials: Object.keys(credentials).length > 0 ? credentials : undefined,
    url: credentials.url,
    host: credentials.host,
    user: credentials.user,
    migrationsTable: field(migrations, "table", "string", "migrations.", path),
    migrationsSchema: field(migrations, "schema", "string", "migrations.", path),
  };
}

async function evaluate(path: string): Promise<Fields> {
  // Like drizzle-kit (which registers a TypeScript loader and requires the
  // file): the config runs as code, so imports, `process.env.X ?? "..."` and
  // computed values are what they are at run time; tsconfig `paths` aliases
  // (`import { env } from "~/env"`) resolve from the config's own folder.
  const jiti = createJiti(pathToFileURL(path).href, {
    moduleCache: false,
    fsCache: false,
    tsconfigPaths: true,
  });
  let value: unknown;
  try {
    value = await jiti.import(path, { default: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DrizzleConfigError(`${path}: the config failed to load: ${reason}`, path, error);
  }
  const known = ["dialect", "schema", "out", "dbCredentials", "migrations"];
  if (
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    !known.some((key) => key in value)
  ) {
    throw new DrizzleConfigError(
      `${path}: the config must export an object (export default defineConfig({...})) with at least one of ${known.join(", ")}`,
      path,
    );
  }
  return value as Fields;
}

/**
 * Evaluates a drizzle config the way drizzle-kit does (TypeScript and
 * JavaScript run as code, JSON is parsed) and returns the fields drizzle-dsql
 * uses. Without `configPath`, the first `drizzle.config.{ts,mts,cts,js,mjs,cjs,json}`
 * in `cwd` is used; no file at all gives the defaults (`out` = `./drizzle`).
 *
 * @throws DrizzleConfigError when the file is missing, fails to load, does not
 * export an object, has a field of the wrong type, or a dialect other than
 * `postgresql`.
 *
 * @example
 * ```ts
 * const config = await loadDrizzleConfig(process.cwd(), "drizzle.config.ts");
 * config.out; // "/app/drizzle"
 * config.url; // process.env.DATABASE_URL ?? "pglite://./data", as evaluated
 * ```
 */
export async function loadDrizzleConfig(
  cwd: string,
  configPath?: string,
): Promise<DrizzleProjectConfig> {
  const path = configPath
    ? isAbsolute(configPath)
      ? configPath
      : resolve(cwd, configPath)
    : CANDIDATES.map((name) => join(cwd, name)).find((p) => existsSync(p));
  if (!path) return { path: undefined, out: resolve(cwd, "drizzle") };
  if (!existsSync(path)) throw new DrizzleConfigError(`config file not found: ${path}`, path);
  const found = fromObject(await evaluate(path), path);
  return { path, ...found, out: resolve(cwd, found.out ?? "drizzle") };
}
