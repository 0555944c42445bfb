import type { DsqlRule } from "./define.js";

const CATALOG = "parse tree + the live catalog (the target table's columns, key and indexes)";
const TEXT = "statement kinds of every statement, multi-statement texts included";
const SIZES =
  "server, before COMMIT: uncompressed size of each row version the transaction wrote; approximates DSQL's own encoding";

/** How the twin checks the rules that are not read from the parse tree alone. */
const HOW: Readonly<Record<string, string>> = {
  "column-count-limit": CATALOG,
  "index-count-limit": CATALOG,
  "index-jsonb-key": CATALOG,
  "no-drop-primary-key-column": CATALOG,
  "no-advisory-lock":
    "parse tree (function calls by name; calls hidden in dynamic SQL are not seen)",
  "no-alter-index": "parse tree (AWS's linter refuses it; its proof never created the index first)",
  "one-ddl-per-transaction": TEXT,
  "no-ddl-with-dml": TEXT,
  "transaction-row-limit":
    "rows the text announces, then server counters (`pg_stat_xact_user_tables`, cascades included)",
  "transaction-size-limit": `${SIZES}, plus secondary index keys; a row written twice counts once`,
  "transaction-age-limit": "clock, before every statement and before COMMIT",
  "value-size-limit": SIZES,
  "row-size-limit": SIZES,
  "key-size-limit": `${SIZES}; plain key columns only (expression keys not counted)`,
};

/**
 * How the local twin checks `rule` (parse tree, catalog, server counters),
 * and where it can only approximate DSQL: the compatibility table's column.
 */
export function twinCheckOf(rule: DsqlRule): string {
  return HOW[rule.id] ?? "parse tree";
}

/** Ids with an explicit entry, for the test that keeps them in step with the rule list. */
export const describedTwinChecks: readonly string[] = Object.keys(HOW);
