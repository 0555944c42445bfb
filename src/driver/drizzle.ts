import type { Logger } from "drizzle-orm/logger";
import { DefaultLogger } from "drizzle-orm/logger";
import type { PgTable } from "drizzle-orm/pg-core";
import { PgDialect } from "drizzle-orm/pg-core/dialect";
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type RelationalSchemaConfig,
  type TablesRelationalConfig,
} from "drizzle-orm/relations";
import type { DrizzleConfig } from "drizzle-orm/utils";
import { DsqlError } from "../errors.js";
import { loadParser } from "../sql/parser.js";
import { primaryKeysOf } from "../sql/row-bound.js";
import { buildTenantRegistry } from "../tenant/index.js";
import { TwinExecutor } from "../twin/executor.js";
import { resolveTwinLimits, type TwinLimits } from "../twin/limits.js";
import { adoptClient, type Backend, type DsqlConnection, openConnection } from "./backends.js";
import { guardPool } from "./connections.js";
import { assembleDatabase, type DsqlDatabase } from "./database.js";
import { StatementGate } from "./gate.js";
import { type RetryOptions, resolveRetry } from "./retry.js";
import { type DsqlClient, DsqlSession, type SessionContext } from "./session.js";

/** Tenant scoping: which column holds the tenant id, and which global tables a scope may write. */
export interface TenantConfig {
  /** The tenant column's database name, e.g. `tenant_id`. */
  column: string;
  /** Global (unscoped) tables that a tenant-scoped handle may write to. */
  writableGlobals?: (PgTable | string)[];
  /**
   * SQL functions of the application that may run inside a scope (`name` or
   * `schema.name`), e.g. `["order_total"]`. Declare only functions that read
   * no scoped table or filter it themselves: a scope cannot see inside them.
   * Built-ins known to read no tables need no declaration; any other function
   * is refused with `TenantScopeError`.
   */
  functions?: string[];
}

/** `drizzle()`'s options: Drizzle's own plus drizzle-dsql's. */
export interface DsqlDrizzleConfig<TSchema extends Record<string, unknown> = Record<string, never>>
  extends DrizzleConfig<TSchema> {
  /** Where to connect: a DSQL endpoint, `postgres://...`, `pglite://memory`, `pglite://<dir>`, or pg.Pool options. */
  connection?: DsqlConnection;
  /** A pool you built (`AuroraDSQLPool` or `pg.Pool`); used instead of `connection`. */
  client?: DsqlClient;
  /** Default OCC retry for transactions and single statements; `false` for none. */
  retry?: RetryOptions | false;
  /** Tenant scoping (see `withTenant`). */
  tenant?: TenantConfig;
  /** Local backends only: enforce DSQL's rules (the twin). Default `"enforce"`. */
  dsqlRules?: "enforce" | "off";
  /** Local twin's transaction limits; DSQL's by default. For tests. */
  twinLimits?: Partial<TwinLimits>;
  /** Distinct SQL texts whose analysis is cached, per scope kind. Default 2,000. */
  analysisCacheSize?: number;
}

function relationalSchema(
  schema: Record<string, unknown> | undefined,
): RelationalSchemaConfig<TablesRelationalConfig> | undefined {
  if (!schema) return undefined;
  const config = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: config.tables, tableNamesMap: config.tableNamesMap };
}

function resolveLogger(logger: DrizzleConfig["logger"]): Logger | undefined {
  if (logger === true) return new DefaultLogger();
  return logger === false ? undefined : logger;
}

function openBackend(config: DsqlDrizzleConfig<Record<string, unknown>>): Backend {
  if (config.client) return adoptClient(config.client);
  if (config.connection === undefined) {
    throw new DsqlError(
      "drizzle() needs `connection` (a DSQL endpoint, postgres:// or pglite:// URL) or `client`",
    );
  }
  return openConnection(config.connection);
}

/**
 * Creates a Drizzle database over Aurora DSQL, PostgreSQL or embedded
 * PGlite, all through one session code path: DSQL's rules on local twins,
 * OCC retry, typed errors, tenant scoping, no nested transactions.
 *
 * @example
 * ```ts
 * import { drizzle } from "drizzle-dsql";
 * import * as schema from "./schema";
 * // Aurora DSQL (IAM auth):
 * const db = drizzle({ connection: { host: "abc.dsql.us-east-1.on.aws", user: "app_rw" }, schema });
 * // Local twins:
 * const pgDb = drizzle({ connection: "postgres://postgres@127.0.0.1:5432/app", schema });
 * const embedded = drizzle({ connection: "pglite://memory", schema });
 * await embedded.$close();
 * ```
 */
export function drizzle<TSchema extends Record<string, unknown> = Record<string, never>>(
  config: DsqlDrizzleConfig<TSchema>,
): DsqlDatabase<TSchema> {
  if (config === null || typeof config !== "object")
    throw new DsqlError("drizzle() takes a config object");
  const retry = resolveRetry(config.retry, undefined);
  const limits = resolveTwinLimits(config.twinLimits);
  if (
    config.dsqlRules !== undefined &&
    config.dsqlRules !== "enforce" &&
    config.dsqlRules !== "off"
  ) {
    throw new DsqlError(`dsqlRules must be "enforce" or "off", got ${String(config.dsqlRules)}`);
  }
  const tenant = config.tenant;
  if (tenant !== undefined && (typeof tenant.column !== "string" || tenant.column === "")) {
    throw new DsqlError('tenant.column must name the tenant column, e.g. { column: "tenant_id" }');
  }
  if (tenant && !config.schema)
    throw new DsqlError("tenant scoping needs `schema` to know which tables are scoped");
  const registry = tenant
    ? buildTenantRegistry(config.schema ?? {}, { ...tenant, casing: config.casing })
    : undefined;
  const backend = openBackend(config as DsqlDrizzleConfig<Record<string, unknown>>);
  guardPool(backend.client);
  const local = backend.kind !== "dsql";
  const enforce = local && config.dsqlRules !== "off";
  const dialect = new PgDialect({ casing: config.casing });
  const schema = relationalSchema(config.schema);
  const context: SessionContext = {
    gate: new StatementGate({
      enforce,
      local,
      tenant: registry,
      cacheSize: config.analysisCacheSize ?? 2000,
      primaryKeys: primaryKeysOf(config.schema),
    }),
    twin: local ? new TwinExecutor({ enforce, limits }) : undefined,
    enforce,
    local,
    sharedSession: backend.kind === "pglite",
    retry,
    logger: resolveLogger(config.logger),
    cache: config.cache,
  };
  // Start loading the parser now; the first query awaits it if needed.
  loadParser().catch(() => {});
  const session = new DsqlSession<TSchema, TablesRelationalConfig>(
    backend.client,
    dialect,
    schema,
    context,
    { kind: "default" },
  );
  const close = async () => {
    const client = backend.client as { end?: () => Promise<void> };
    await client.end?.();
  };
  return assembleDatabase(dialect, session, schema, backend.client, close);
}
