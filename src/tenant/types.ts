/** A foreign key declared with `.references()` whose parent is a scoped table. */
export interface TenantReference {
  /** The referencing columns' database names, in key order. */
  columns: string[];
  /** The parent table's key, `schema.table`. */
  parent: string;
  /** The referenced columns' database names, in key order. */
  parentColumns: string[];
  /** The referencing columns' SQL types as the schema declares them (e.g. `integer`, `uuid`). */
  types: string[];
}

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
  /** Per child table key: its references to scoped parents, checked on every scoped write. */
  references: Map<string, TenantReference[]>;
  /** Per writable global key: its columns that scoped tables reference (deletes and key updates refused). */
  referencedGlobals: Map<string, Set<string>>;
  /** Functions the application declared safe in a scope, as given: `name` or `schema.name`. */
  functions: Set<string>;
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
