import { type DsqlLimitError, type DsqlUnsupportedError, errorForRule } from "../errors.js";
import { ruleById } from "../rules/index.js";

/**
 * The twin's refusal for a rule it enforces at run time: the rule list's
 * message and SQLSTATE, plus what was seen.
 */
export function transactionRefusal(
  id: string,
  detail?: string,
): DsqlUnsupportedError | DsqlLimitError {
  const rule = ruleById(id);
  if (!rule) throw new Error(`drizzle-dsql: unknown twin rule ${id}`);
  return errorForRule({ ...rule, rule: id }, detail);
}
