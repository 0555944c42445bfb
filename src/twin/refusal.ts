import { DsqlLimitError, DsqlUnsupportedError } from "../errors.js";
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
  const message = detail ? `${rule.message} (${detail})` : rule.message;
  const options = { rule: id, code: rule.sqlstate };
  return rule.limit
    ? new DsqlLimitError(message, options)
    : new DsqlUnsupportedError(message, options);
}
