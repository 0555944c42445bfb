/**
 * drizzle-dsql/kit: turn drizzle-kit output into SQL DSQL accepts, and lint
 * any SQL against DSQL's rules (the same rules the local twin enforces).
 *
 * @packageDocumentation
 */

export { rules } from "../rules/index.js";
export type { Finding, Rule, Severity } from "../rules/types.js";
export { type Diagnostic, lintSql } from "./lint.js";
export { transformSql } from "./transform.js";
