import type { ColumnDef, Constraint, DefElem, Node } from "@pgsql/types";
import { columnConstraints, typeNameOf } from "../../sql/ast.js";
import { typeName } from "./ast.js";
import { cacheOption } from "./serial.js";
import type { StatementLog, TransformContext } from "./types.js";

const NARROW = new Set(["int2", "int4", "smallint", "integer", "int"]);
const TYPE_MAX: Record<string, number> = {
  int2: 32767,
  smallint: 32767,
  int4: 2147483647,
  integer: 2147483647,
  int: 2147483647,
};

function optionName(option: Node): string | undefined {
  return (option as { DefElem?: DefElem }).DefElem?.defname;
}

function optionValue(option: Node): number | undefined {
  const def = (option as { DefElem?: DefElem }).DefElem;
  return def ? cacheValue(def) : undefined;
}

/**
 * Whether identity options are drizzle-kit's spelled-out defaults for the
 * type (`INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1`,
 * written for every integer identity whatever the schema said).
 */
function kitDefaults(options: Node[], type: string): boolean {
  const expected: Record<string, number | undefined> = {
    increment: 1,
    minvalue: 1,
    maxvalue: TYPE_MAX[type],
    start: 1,
    cache: 1,
  };
  const seen = options.map(optionName).filter((n) => n !== "sequence_name");
  return (
    seen.length > 0 &&
    seen.every((n) => n !== undefined && n in expected) &&
    options.every((o) => {
      const n = optionName(o);
      return n === "sequence_name" || optionValue(o) === expected[n ?? ""];
    })
  );
}

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
  const type = typeNameOf(col.typeName);
  const column = col.colname ?? "";
  if (NARROW.has(type)) {
    col.typeName = typeName("pg_catalog", "int8");
    log.change(
      "identity-bigint",
      `column "${column}": DSQL identity columns are bigint; widened from ${type}`,
      "warning",
    );
  }
  fixIdentityOptions(identity, column, NARROW.has(type) ? type : undefined, log);
}

/**
 * Gives identity options what DSQL requires: drizzle-kit's spelled-out
 * defaults for a `widened` narrow type are dropped (the column gets serial's
 * CACHE 65536), a missing or invalid CACHE becomes 65536, `CACHE 1` is kept.
 */
export function fixIdentityOptions(
  identity: Constraint,
  column: string,
  widened: string | undefined,
  log: StatementLog,
): void {
  if (widened && kitDefaults((identity.options ?? []) as Node[], widened)) {
    // Only the sequence's name was a choice: the column gets serial's shape (CACHE 65536),
    // so every widened key in a schema has the same options.
    identity.options = ((identity.options ?? []) as Node[]).filter(
      (o) => optionName(o) === "sequence_name",
    );
    log.change(
      "identity-options",
      `column "${column}": drizzle-kit's default identity options for ${widened} (MAXVALUE ${TYPE_MAX[widened]}, CACHE 1) are dropped with the widening to bigint; it gets CACHE 65536, like a rewritten serial`,
    );
  }
  const options = (identity.options ?? []) as Node[];
  const index = options.findIndex((o) => optionName(o) === "cache");
  const current =
    index >= 0 ? cacheValue((options[index] as { DefElem: DefElem }).DefElem) : undefined;
  if (current === 1 || (current !== undefined && current >= 65536)) return;
  if (index >= 0) options[index] = cacheOption(65536);
  else options.push(cacheOption(65536));
  identity.options = options;
  log.change(
    "identity-cache",
    current === undefined
      ? `column "${column}": DSQL requires an explicit identity CACHE (1 or >= 65536); CACHE 65536 added`
      : `column "${column}": DSQL accepts identity CACHE 1 or >= 65536, not ${current}; raised to 65536`,
    current === undefined ? "info" : "warning",
  );
}
