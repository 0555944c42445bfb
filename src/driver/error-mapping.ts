import {
  causeChain,
  DsqlError,
  DsqlLimitError,
  DsqlUnsupportedError,
  sqlStateOf,
  TenantScopeError,
} from "../errors.js";
import { checkStatement, newRuleContext } from "../rules/index.js";
import { parserLoaded, parseStatements } from "../sql/parser.js";
import { REFERENCE_MARKER } from "../tenant/references.js";

function serverMessage(error: unknown): string {
  for (const e of causeChain(error)) {
    if (typeof (e as { code?: unknown }).code === "string") return String((e as Error).message);
  }
  return error instanceof Error ? error.message : String(error);
}

/** The id of the first rule of the one rule list that `statement` breaks, if any. */
function ruleBroken(statement: string | undefined): string | undefined {
  if (!statement || !parserLoaded()) return undefined;
  try {
    const ctx = newRuleContext();
    for (const stmt of parseStatements(statement)) {
      const found = checkStatement(stmt, ctx).find((f) => f.severity === "error");
      if (found) return found.rule;
    }
  } catch {
    // Text the parser cannot read: fall back to the SQLSTATE.
  }
  return undefined;
}

// 54000 covers DSQL's transaction limits; its message says which one.
function limitRule(message: string): string {
  if (/\brows?\b/i.test(message)) return "transaction-row-limit";
  if (/\b(age|time|duration|seconds?|[0-9]+s)\b/i.test(message)) return "transaction-age-limit";
  return "transaction-size-limit";
}

/**
 * Turns a server refusal that DSQL documents into the matching typed error,
 * keeping the original on `.cause`. `.rule` is the id, in the one rule list,
 * of the rule `statement` breaks (found by checking it, as `lintSql` and the
 * twin do); without one, the SQLSTATE picks it (54000 by the message: row,
 * age or size limit; 54011 index keys; 42704 serial; a 0A000 no rule
 * explains gets `server`). Anything else (including OCC conflicts, which the
 * retry layer handles) is returned unchanged.
 */
export function mapServerError(error: unknown, statement?: string): unknown {
  if (error instanceof DsqlError) return error;
  const code = sqlStateOf(error);
  if (!code) return error;
  const message = serverMessage(error);
  const broken = ruleBroken(statement);
  switch (code) {
    case "54000":
      return new DsqlLimitError(`DSQL limit: ${message}`, {
        cause: error,
        code,
        rule: broken ?? limitRule(message),
      });
    case "54011":
      return new DsqlLimitError(`DSQL limit: ${message}`, {
        cause: error,
        code,
        rule: broken ?? "index-key-limit",
      });
    case "0A000":
      // "server": DSQL refused something no rule in the list describes (please report it).
      return new DsqlUnsupportedError(`Not supported by DSQL: ${message}`, {
        cause: error,
        code,
        rule: broken ?? "server",
      });
    case "22P02":
      // The tenant scope's reference check: the row would point outside the tenant.
      return message.includes(REFERENCE_MARKER)
        ? new TenantScopeError(
            `Tenant scope refused a write: ${message.slice(message.indexOf(REFERENCE_MARKER))}`,
            { cause: error },
          )
        : error;
    case "42704":
      return broken === "no-serial" || /serial/i.test(message)
        ? new DsqlUnsupportedError(`Not supported by DSQL: ${message}`, {
            cause: error,
            code,
            rule: "no-serial",
          })
        : error;
    default:
      return error;
  }
}
