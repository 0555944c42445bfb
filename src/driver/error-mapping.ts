import { REFERENCE_MARKER } from "../tenant/references.js";
import { DsqlError, DsqlLimitError, DsqlUnsupportedError, TenantScopeError } from "./errors.js";
import { causeChain, sqlStateOf } from "./retry.js";

function serverMessage(error: unknown): string {
  for (const e of causeChain(error)) {
    if (typeof (e as { code?: unknown }).code === "string") return String((e as Error).message);
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns a server refusal that DSQL documents into the matching typed error,
 * keeping the original on `.cause`. Anything else (including OCC conflicts,
 * which the retry layer handles) is returned unchanged.
 */
export function mapServerError(error: unknown): unknown {
  if (error instanceof DsqlError) return error;
  const code = sqlStateOf(error);
  if (!code) return error;
  const message = serverMessage(error);
  switch (code) {
    case "54000":
      return new DsqlLimitError(`DSQL limit: ${message}`, {
        cause: error,
        code,
        rule: "transaction-limit",
      });
    case "54011":
      return new DsqlLimitError(`DSQL limit: ${message}`, {
        cause: error,
        code,
        rule: "index-key-limit",
      });
    case "0A000":
      return new DsqlUnsupportedError(`Not supported by DSQL: ${message}`, {
        cause: error,
        code,
        rule: "server",
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
      return /serial/i.test(message)
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
