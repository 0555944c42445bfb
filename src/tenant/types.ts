/** Where scoped and global tables are, as derived from the Drizzle schema. */
export interface TenantRegistry {
  /** The tenant column's database name, e.g. `tenant_id`. */
  column: string;
  /** Scoped tables: key is `schema.table` with schema `public` when unqualified. */
  scoped: Set<string>;
  /** Global (unscoped) schema tables, same key form: readable inside a scope. */
  globals: Set<string>;
  /** Globals a scoped handle may also write to. */
  writableGlobals: Set<string>;
}

/** How to run one statement for a tenant; depends on the SQL text only. */
export interface TenantPlan {
  /** The rewritten SQL text. */
  sql: string;
  /**
   * 1-based number of the parameter that carries the tenant id (`$n`), or 0
   * when the statement needs no tenant parameter (transaction control, or a
   * statement touching no scoped table): then bind nothing extra. Positions
   * between the caller's last parameter and this one, if any, must be padded.
   */
  tenantParam: number;
  /** 1-based numbers of the caller's parameters that must equal the tenant id. */
  checkParams: number[];
}
