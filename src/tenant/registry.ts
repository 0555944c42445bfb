import { is } from "drizzle-orm";
import { toCamelCase, toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { TenantScopeError } from "../errors.js";
import { qualifiedTableKey } from "../sql/ast.js";
import type { TenantReference, TenantRegistry } from "./types.js";

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
  /**
   * Functions the application declares safe inside a scope (they read no
   * scoped table, or filter it themselves): `name` or `schema.name`.
   * Built-ins known to read no tables are allowed without listing them.
   */
  functions?: readonly string[];
}

function tableKey(table: PgTable): string {
  const config = getTableConfig(table);
  return qualifiedTableKey(config.schema, config.name);
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
  if (typeof options.column !== "string" || options.column.trim().length === 0) {
    throw new TenantScopeError("tenant scope: the tenant column name must be a non-empty string");
  }
  const tables = Object.values(schema).filter((value): value is PgTable => is(value, PgTable));
  const scoped = new Set<string>();
  const globals = new Set<string>();
  for (const table of tables) {
    const config = getTableConfig(table);
    const hasTenant = config.columns.some((c) =>
      columnNames(c, options.casing).includes(options.column),
    );
    (hasTenant ? scoped : globals).add(qualifiedTableKey(config.schema, config.name));
  }
  if (scoped.size === 0) throw noScopedTable(tables, options.column);
  const writableGlobals = new Set<string>();
  for (const entry of options.writableGlobals ?? []) {
    const key =
      typeof entry === "string"
        ? entry.includes(".")
          ? entry
          : qualifiedTableKey(undefined, entry)
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
  const { references, referencedGlobals } = referencesOf(tables, scoped, writableGlobals, options);
  return {
    column: options.column,
    scoped,
    globals,
    writableGlobals,
    references,
    referencedGlobals,
    functions: declaredFunctions(options.functions),
  };
}

/**
 * The error for a tenant column that matches no table: scoping nothing would
 * silently return every tenant's rows. Names the column whose TypeScript key
 * was given instead of its database name, when there is one.
 */
function noScopedTable(tables: readonly PgTable[], column: string): TenantScopeError {
  for (const table of tables) {
    const config = getTableConfig(table);
    const byKey = Object.entries(table).find(
      ([key, value]) =>
        key === column && config.columns.includes(value as (typeof config.columns)[number]),
    );
    const match = byKey?.[1] as { name: string } | undefined;
    if (match) {
      return new TenantScopeError(
        `tenant scope: no table has a column named "${column}"; "${column}" is the TypeScript key of "${config.name}"."${match.name}", so use { column: "${match.name}" }`,
      );
    }
  }
  return new TenantScopeError(
    `tenant scope: no table of the schema has the tenant column "${column}" (give its database name, e.g. "tenant_id")`,
  );
}

/** The one database name a column has under the db's casing (the key itself when casing is unset). */
function databaseName(
  column: { name: string; keyAsName: boolean },
  casing: TenantRegistryOptions["casing"],
): string {
  return columnNames(column, casing)[0] as string;
}

/** Foreign keys (`.references()` / `foreignKey()`) from schema tables to scoped parents and into writable globals. */
function referencesOf(
  tables: readonly PgTable[],
  scoped: ReadonlySet<string>,
  writableGlobals: ReadonlySet<string>,
  options: TenantRegistryOptions,
): Pick<TenantRegistry, "references" | "referencedGlobals"> {
  const references = new Map<string, TenantReference[]>();
  const referencedGlobals = new Map<string, Set<string>>();
  for (const table of tables) {
    const config = getTableConfig(table);
    const child = qualifiedTableKey(config.schema, config.name);
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const parent = tableKey(ref.foreignTable);
      const parentColumns = ref.foreignColumns.map((c) => databaseName(c, options.casing));
      if (scoped.has(parent)) {
        const list = references.get(child) ?? [];
        list.push({
          columns: ref.columns.map((c) => databaseName(c, options.casing)),
          parent,
          parentColumns,
          types: ref.columns.map((c) => c.getSQLType()),
        });
        references.set(child, list);
      }
      if (writableGlobals.has(parent) && scoped.has(child)) {
        const set = referencedGlobals.get(parent) ?? new Set<string>();
        for (const c of parentColumns) set.add(c);
        referencedGlobals.set(parent, set);
      }
    }
  }
  return { references, referencedGlobals };
}

const FUNCTION_NAME = /^([a-z_][a-z0-9_$]*\.)?[a-z_][a-z0-9_$]*$/;

function declaredFunctions(names: readonly string[] | undefined): Set<string> {
  if (names !== undefined && !Array.isArray(names)) {
    throw new TenantScopeError("tenant scope: `functions` must be an array of function names");
  }
  const out = new Set<string>();
  for (const name of names ?? []) {
    if (typeof name !== "string" || !FUNCTION_NAME.test(name.toLowerCase())) {
      throw new TenantScopeError(
        `tenant scope: declared function ${JSON.stringify(name)} is not a function name ("name" or "schema.name")`,
      );
    }
    out.add(name);
  }
  return out;
}
