/** State shared by one rewrite: what the visitor accumulates besides the tree. */
import type { TenantRegistry } from "./types.js";

/** Per-statement state shared by the visitor (accumulators only). */
export interface State {
  readonly registry: TenantRegistry;
  /** The tenant parameter's number (`$T`). */
  readonly param: number;
  /** Whether `$T` appears in the output. */
  usesTenant: boolean;
  /** Caller parameters placed in a tenant column, to check at execute time. */
  readonly checkParams: Set<number>;
}

/** The relation an INSERT, UPDATE or DELETE writes. */
export interface Target {
  /** `schema.table`. */
  key: string;
  /** Whether it is a scoped table (else a writable global). */
  scoped: boolean;
  /** The name the statement uses for the target row (alias or table name). */
  ref: string;
}
