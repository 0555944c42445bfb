import { is } from "drizzle-orm";
import { toCamelCase, toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { TenantScopeError } from "../driver/errors.js";
import type { TenantRegistry } from "./types.js";

/** Options of {@link buildTenantRegistry}. */
export interface TenantRegistryOptions {
  /** The tenant column's database name, e.g. `tenant_id`. */
  column: string;
  /** Global tables a scoped handle may write to: Drizzle tables or `schema.table` / `table` names. */
  writableGlobals?: readonly (string | PgTable)[];
  /**
   * The db's `casing` option, for columns declared without explicit names.
   * Left out, a column counts as the tenant column under any convention.
   */
  casing?: "snake_case" | "camelCase";
}

/** `schema.table`, schema `public` when absent. */
export function relationKey(schema: string | undefined, table: string): string {
  return `${schema ?? "public"}.${table}`;
}

function tableKey(table: PgTable): string {
  const config = getTableConfig(table);
  return relationKey(config.schema, config.name);
}

/**
 * The database names a column may have. A column declared without a name
 * takes its key, converted by the db's `casing` option; when that option is
 * unknown, every convention counts, so that a tenant column is never missed
 * (a wrong guess makes queries fail, never leak).
 */
function columnNames(
  column: { name: string; keyAsName: boolean },
  casing: TenantRegistryOptions["casing"],
): string[] {
  if (!column.keyAsName) return [column.name];
  if (casing === "snake_case") return [toSnakeCase(column.name)];
  if (casing === "camelCase") return [toCamelCase(column.name)];
  return [column.name, toSnakeCase(column.name), toCamelCase(column.name)];
}

/**
 * Derives the tenant registry from a Drizzle schema: every `pgTable` in
 * `schema` with a column whose database name is `options.column` is scoped;
 * the other tables are globals (readable in a scope, writable only when
 * listed in `writableGlobals`). Anything that is not a table (views,
 * relations, enums) is left out, so a scope refuses to read it.
 *
 * @example
 * ```ts
 * const registry = buildTenantRegistry(schema, { column: "tenant_id", writableGlobals: [auditLog] });
 * ```
 * @throws TenantScopeError when a writable global is unknown or is a scoped table.
 */
export function buildTenantRegistry(
  schema: Record<string, unknown>,
  options: TenantRegistryOptions,
): TenantRegistry {
  if (typeof options.column !== "string" || options.column.length === 0) {
    throw new TenantScopeError("tenant scope: the tenant column name must be a non-empty string");
  }
  const scoped = new Set<string>();
  const globals = new Set<string>();
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const key = relationKey(config.schema, config.name);
    const hasTenant = config.columns.some((c) =>
      columnNames(c, options.casing).includes(options.column),
    );
    (hasTenant ? scoped : globals).add(key);
  }
  const writableGlobals = new Set<string>();
  for (const entry of options.writableGlobals ?? []) {
    const key =
      typeof entry === "string"
        ? entry.includes(".")
          ? entry
          : relationKey(undefined, entry)
        : tableKey(entry);
    if (scoped.has(key)) {
      throw new TenantScopeError(
        `tenant scope: "${key}" has the tenant column, so it is scoped and cannot be a writable global`,
      );
    }
    if (!globals.has(key)) {
      throw new TenantScopeError(
        `tenant scope: writable global "${key}" is not a table of the schema`,
      );
    }
    writableGlobals.add(key);
  }
  return { column: options.column, scoped, globals, writableGlobals };
}
