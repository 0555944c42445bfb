import type { ParsedStatement } from "../sql/parser.js";
import { recordStatement } from "./context.js";
import type { DsqlRule, RuleOptions } from "./define.js";
import { rules } from "./list.js";
import type { Finding, RuleContext } from "./types.js";

export { newRuleContext, recordStatement } from "./context.js";
export type { DsqlRule, RuleOptions } from "./define.js";
export { rules } from "./list.js";
export { renderCompatibilityTable } from "./table.js";
export type { Finding, Rule, RuleContext, Severity, TableShape } from "./types.js";

const byId = new Map(rules.map((rule) => [rule.id, rule]));
const anyType: DsqlRule[] = [];
const byType = new Map<string, DsqlRule[]>();
for (const rule of rules) {
  if (!rule.check) continue;
  for (const type of rule.on) {
    if (type === "*") {
      anyType.push(rule);
      continue;
    }
    const list = byType.get(type) ?? [];
    list.push(rule);
    byType.set(type, list);
  }
}

/** The rule with this id (e.g. `transaction-row-limit`), or undefined. */
export function ruleById(id: string): DsqlRule | undefined {
  return byId.get(id);
}

/**
 * Runs every statement rule that applies to `stmt` and returns what DSQL would
 * refuse. Rules are looked up by statement type, so a SELECT costs a map
 * lookup plus two cheap text tests. When nothing is refused, the statement is
 * recorded in `ctx` (e.g. a CREATE TABLE starts counting that table's indexes).
 *
 * @param options `{ json: "forbid" }` turns on the json/jsonb column rule.
 */
export function checkStatement(
  stmt: ParsedStatement,
  ctx: RuleContext,
  options: RuleOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const typed = byType.get(stmt.type);
  if (typed) collect(typed, stmt, ctx, options, findings);
  collect(anyType, stmt, ctx, options, findings);
  if (!findings.some((f) => f.severity === "error")) recordStatement(stmt, ctx);
  return findings;
}

function collect(
  list: readonly DsqlRule[],
  stmt: ParsedStatement,
  ctx: RuleContext,
  options: RuleOptions,
  out: Finding[],
): void {
  for (const rule of list) {
    if (rule.enabled && !rule.enabled(options)) continue;
    const found = rule.check?.(stmt, ctx);
    if (found) for (const finding of found) out.push(finding);
  }
}
