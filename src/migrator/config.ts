import { existsSync, readFileSync } from "node:fs";
import { extname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** What drizzle-dsql needs from a drizzle config (`drizzle.config.*`). */
export interface DrizzleProjectConfig {
  /** The config file read, absolute; undefined when none was found. */
  path: string | undefined;
  /** The migrations folder, absolute (drizzle-kit's `out`, default `./drizzle`). */
  out: string;
  /** `dbCredentials.url`, when the config spells it out. */
  url?: string;
  /** `dbCredentials.host` / `user` (an Aurora DSQL endpoint and role), when spelled out. */
  host?: string;
  user?: string;
  /** `migrations.table` / `migrations.schema`. */
  migrationsTable?: string;
  migrationsSchema?: string;
  /** How the config was read: imported (js/mjs/json) or read statically (TypeScript). */
  read: "import" | "static" | "none";
}

const CANDIDATES = [
  "drizzle.config.ts",
  "drizzle.config.mts",
  "drizzle.config.js",
  "drizzle.config.mjs",
  "drizzle.config.cjs",
  "drizzle.config.json",
];

function literal(text: string, key: string): string | undefined {
  const match = new RegExp(`\\b${key}\\s*:\\s*(["'\`])([^"'\`]*)\\1`).exec(text);
  return match?.[2];
}

function fromStatic(text: string): Partial<DrizzleProjectConfig> {
  const migrations = /\bmigrations\s*:\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  const credentials = /\bdbCredentials\s*:\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  return {
    out: literal(text, "out"),
    url: literal(credentials, "url"),
    host: literal(credentials, "host"),
    user: literal(credentials, "user"),
    migrationsTable: literal(migrations, "table"),
    migrationsSchema: literal(migrations, "schema"),
  };
}

function fromObject(config: Record<string, unknown>): Partial<DrizzleProjectConfig> {
  const credentials = (config.dbCredentials ?? {}) as Record<string, unknown>;
  const migrations = (config.migrations ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    out: str(config.out),
    url: str(credentials.url),
    host: str(credentials.host),
    user: str(credentials.user),
    migrationsTable: str(migrations.table),
    migrationsSchema: str(migrations.schema),
  };
}

/**
 * Reads the parts of a drizzle config drizzle-dsql uses. JavaScript and JSON
 * configs are imported; TypeScript configs are read statically (string
 * literals for `out`, `dbCredentials.url|host|user`, `migrations.table|schema`),
 * so no TypeScript loader is needed: values computed at runtime (e.g.
 * `process.env.DATABASE_URL`) are left to the environment.
 *
 * @example
 * ```ts
 * const config = await loadDrizzleConfig(process.cwd(), "drizzle.config.ts");
 * config.out; // "/app/drizzle"
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
  if (configPath && path && !existsSync(path)) throw new Error(`config file not found: ${path}`);
  let found: Partial<DrizzleProjectConfig> = {};
  let read: DrizzleProjectConfig["read"] = "none";
  if (path) {
    const ext = extname(path);
    if (ext === ".json") {
      found = fromObject(JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>);
      read = "import";
    } else if (ext === ".js" || ext === ".mjs" || ext === ".cjs") {
      const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
      const config = (mod.default ?? mod) as Record<string, unknown>;
      found = fromObject(
        ((config as { default?: unknown }).default ?? config) as Record<string, unknown>,
      );
      read = "import";
    } else {
      found = fromStatic(readFileSync(path, "utf8"));
      read = "static";
    }
  }
  return {
    path,
    read,
    ...found,
    out: resolve(cwd, found.out ?? "drizzle"),
  };
}
