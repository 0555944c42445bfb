import type {
  AlterTableCmd,
  AlterTableStmt,
  Constraint,
  DefElem,
  Node,
  RangeVar,
} from "@pgsql/types";
import { rewriteAddColumn } from "./add-column.js";
import { rewriteAddConstraint } from "./add-constraint.js";
import { alterTable, notNullConstraintName } from "./alter.js";
import { clone } from "./ast.js";
import { rewriteColumnDefault } from "./column-default.js";
import { fixIdentityOptions } from "./identity.js";
import { rewriteSetNotNull } from "./not-null.js";
import { REFUSALS } from "./refusals.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

type CmdRewrite = (
  relation: RangeVar,
  cmd: AlterTableCmd,
  ctx: TransformContext,
  log: StatementLog,
) => Emitted[];

function refuse(rule: keyof typeof REFUSALS): CmdRewrite {
  return (relation, cmd, _ctx, log) => {
    const what = cmd.name ? ` (${relation.relname}.${cmd.name})` : ` (${relation.relname})`;
    log.refuse(rule, `${REFUSALS[rule]}${what}`);
    return [{ node: alterTable(relation, cmd) }];
  };
}

const validateAsync: CmdRewrite = (relation, cmd, _ctx, log) => {
  log.change(
    "validate-async",
    `constraint ${cmd.name}: DSQL validates constraints only with ALTER TABLE ASYNC`,
  );
  return [{ node: alterTable(relation, cmd), async: true }];
};

const dropColumnIfExists: CmdRewrite = (relation, cmd, _ctx, log) => {
  if (cmd.missing_ok) return [{ node: alterTable(relation, cmd) }];
  log.change(
    "idempotent-ddl",
    `column "${cmd.name}": DROP COLUMN IF EXISTS lets an interrupted migration resume`,
  );
  const { behavior, ...rest } = cmd;
  const keep = behavior === "DROP_CASCADE" ? { behavior } : {};
  return [{ node: alterTable(relation, { ...rest, ...keep, missing_ok: true }) }];
};

const dropNotNull: CmdRewrite = (relation, cmd, _ctx, log) => {
  log.warn(
    "drop-not-null",
    `column "${cmd.name}": if its NOT NULL was added on DSQL as CHECK (${cmd.name} IS NOT NULL) (drizzle-dsql's ${notNullConstraintName(relation, cmd.name ?? "")}), DROP NOT NULL leaves that CHECK in force and DSQL cannot drop constraints; only a NOT NULL written in CREATE TABLE is dropped`,
  );
  return [{ node: alterTable(relation, cmd) }];
};

/**
 * `ALTER COLUMN c ADD GENERATED ... AS IDENTITY`: DSQL accepts it on a bigint
 * column with an explicit CACHE (1 or >= 65536). The options are fixed as for
 * CREATE TABLE (drizzle-kit's int4 defaults dropped, CACHE 65536 added); the
 * column's type is not in the statement, so a warning says it must be bigint.
 */
const addIdentity: CmdRewrite = (relation, cmd, _ctx, log) => {
  const copy = clone(cmd);
  const identity = (copy.def as { Constraint?: Constraint } | undefined)?.Constraint;
  if (identity) {
    const options = (identity.options ?? []) as Node[];
    const max = options
      .map((o) => (o as { DefElem?: DefElem }).DefElem)
      .find((d) => d?.defname === "maxvalue");
    const ival = (max?.arg as { Integer?: { ival?: number } } | undefined)?.Integer?.ival;
    fixIdentityOptions(identity, cmd.name ?? "", ival === 2147483647 ? "int4" : undefined, log);
  }
  log.warn(
    "add-identity",
    `column "${cmd.name}": DSQL adds an identity only to a bigint column (drizzle-dsql's migrations make serial and integer keys bigint); on an integer column DSQL refuses it, and the column cannot change type: add a new bigint column instead`,
  );
  return [{ node: alterTable(relation, copy) }];
};

const BY_SUBTYPE: Partial<Record<string, CmdRewrite>> = {
  AT_AddColumn: rewriteAddColumn,
  AT_AddConstraint: rewriteAddConstraint,
  AT_SetNotNull: rewriteSetNotNull,
  AT_ColumnDefault: rewriteColumnDefault,
  AT_ValidateConstraint: validateAsync,
  AT_DropColumn: dropColumnIfExists,
  AT_DropNotNull: dropNotNull,
  AT_AlterColumnType: refuse("no-alter-column-type"),
  AT_DropConstraint: refuse("no-drop-constraint"),
  AT_AddIdentity: addIdentity,
  AT_SetExpression: refuse("no-alter-column-type"),
};

/**
 * `ALTER TABLE`: each action becomes its own DSQL-safe statement(s) (ADD
 * COLUMN split into steps, constraints NOT VALID + async VALIDATE, SET NOT
 * NULL as a CHECK, ...); actions DSQL cannot do are refused with the
 * DSQL-safe way. Already-async statements pass through.
 */
export function rewriteAlterTable(
  stmt: { node: Node; async: boolean },
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const alter = (stmt.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt;
  if (stmt.async || alter.objtype !== "OBJECT_TABLE" || !alter.relation) {
    return [{ node: stmt.node, async: stmt.async }];
  }
  const cmds = (alter.cmds ?? []).map((c) => (c as { AlterTableCmd: AlterTableCmd }).AlterTableCmd);
  if (cmds.length > 1) {
    log.change(
      "split-alter-table",
      "DSQL runs each DDL action in its own transaction; the ALTER TABLE is split into one statement per action",
    );
  }
  const relation = alter.relation;
  const out: Emitted[] = [];
  for (const cmd of cmds) {
    const rewrite = BY_SUBTYPE[cmd.subtype ?? ""];
    out.push(
      ...(rewrite ? rewrite(relation, cmd, ctx, log) : [{ node: alterTable(relation, cmd) }]),
    );
  }
  return out;
}
