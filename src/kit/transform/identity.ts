import type { ColumnDef, DefElem, Node } from "@pgsql/types";
import { baseType, columnConstraints, typeName } from "./ast.js";
import { cacheOption } from "./serial.js";
import type { StatementLog, TransformContext } from "./types.js";

const NARROW = new Set(["int2", "int4", "smallint", "integer", "int"]);

function cacheValue(option: DefElem): number | undefined {
  const arg = option.arg as { Integer?: { ival?: number }; Float?: { fval?: string } } | undefined;
  if (arg?.Integer) return arg.Integer.ival ?? 0;
  if (arg?.Float) return Number(arg.Float.fval);
  return undefined;
}

/**
 * Identity columns on DSQL must be bigint with `CACHE 1` or `CACHE >= 65536`:
 * narrower types are widened, a missing cache becomes 65536, an invalid one
 * is raised to 65536; `CACHE 1` (ordered, few gaps) is kept.
 */
export function rewriteIdentity(col: ColumnDef, _ctx: TransformContext, log: StatementLog): void {
  const identity = columnConstraints(col).find((c) => c.contype === "CONSTR_IDENTITY");
  if (!identity) return;
  const type = baseType(col.typeName);
  if (NARROW.has(type)) {
    col.typeName = typeName("pg_catalog", "int8");
    log.change(
      "identity-bigint",
      `column "${col.colname}": DSQL identity columns are bigint; widened from ${type}`,
      "warning",
    );
  }
  const options = (identity.options ?? []) as Node[];
  const index = options.findIndex((o) => (o as { DefElem?: DefElem }).DefElem?.defname === "cache");
  const current =
    index >= 0 ? cacheValue((options[index] as { DefElem: DefElem }).DefElem) : undefined;
  if (current === 1 || (current !== undefined && current >= 65536)) return;
  if (index >= 0) options[index] = cacheOption(65536);
  else options.push(cacheOption(65536));
  identity.options = options;
  log.change(
    "identity-cache",
    current === undefined
      ? `column "${col.colname}": DSQL requires an explicit identity CACHE (1 or >= 65536); CACHE 65536 added`
      : `column "${col.colname}": DSQL accepts identity CACHE 1 or >= 65536, not ${current}; raised to 65536`,
    current === undefined ? "info" : "warning",
  );
}
