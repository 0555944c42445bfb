/**
 * drizzle-dsql/kit: turn drizzle-kit output into SQL DSQL accepts, and lint
 * any SQL against DSQL's rules (the same rules the local twin enforces).
 *
 * `lintSql` and `transformSql` are synchronous; they need PostgreSQL's parser
 * (WASM), which this module loads once when it is imported.
 *
 * @packageDocumentation
 */
import { loadParser } from "./sql/parser.js";

await loadParser();

export { type Diagnostic, lintSql } from "./lint/lint.js";
export type {
  TransformChange,
  TransformDiagnostic,
  TransformOptions,
  TransformResult,
} from "./lint/transform/types.js";
export { transformSql } from "./lint/transform.js";
export { rules } from "./rules/index.js";
export type { Finding, Rule, Severity } from "./rules/types.js";
