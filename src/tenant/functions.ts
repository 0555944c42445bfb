import { list, refuse, stringValue } from "./ast.js";

/**
 * Built-in functions that read relations named in text (so no parse tree shows
 * the relation), reach outside the database, or change name resolution. A
 * tenant scope cannot prove them safe, so calls to them are refused.
 */
const DENIED_EXACT = new Set(["ts_stat", "ts_rewrite", "set_config", "currtid", "currtid2"]);

const DENIED_PREFIXES = [
  "query_to_xml",
  "table_to_xml",
  "cursor_to_xml",
  "schema_to_xml",
  "database_to_xml",
  "dblink",
  "lo_",
  "pg_",
];

/** `pg_` functions that read no relation data. */
const ALLOWED_PG = new Set([
  "pg_typeof",
  "pg_column_size",
  "pg_sleep",
  "pg_backend_pid",
  "pg_collation_for",
  "pg_size_pretty",
  "pg_size_bytes",
  "pg_input_is_valid",
  "pg_current_xact_id",
]);

/** The reason a function name is refused, or undefined when it is allowed. */
export function deniedFunction(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (ALLOWED_PG.has(lower)) return undefined;
  if (DENIED_EXACT.has(lower) || DENIED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    return `function ${lower}() can read or reveal rows outside the tenant scope`;
  }
  return undefined;
}

/** Refuses a `FuncCall` body whose name is on the deny list. */
export function checkFunctionCall(funcCall: { readonly [key: string]: unknown }): void {
  const names = list(funcCall.funcname);
  const last = stringValue(names[names.length - 1]);
  if (last === undefined) refuse("a function call without a readable name");
  const reason = deniedFunction(last);
  if (reason) refuse(reason);
}
