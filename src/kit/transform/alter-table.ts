import type { AlterTableCmd, AlterTableStmt, Node, RangeVar } from "@pgsql/types";
import { rewriteAddColumn } from "./add-column.js";
import { rewriteAddConstraint } from "./add-constraint.js";
import { alterTable, notNullConstraintName } from "./alter.js";
import { rewriteColumnDefault } from "./column-default.js";
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

const BY_SUBTYPE: Partial<Record<string, CmdRewrite>> = {
  AT_AddColumn: rewriteAddColumn,
  AT_AddConstraint: rewriteAddConstraint,
  AT_SetNotNull: rewriteSetNotNull,
  AT_ColumnDefault: rewriteColumnDefault,
  AT_ValidateConstraint: validateAsync,
  AT_DropColumn: dropColumnIfExists,
  AT_DropNotNull: dropNotNull,
  AT_AlterColumnType: refuse("alter-column-type"),
  AT_DropConstraint: refuse("drop-constraint"),
  AT_AddIdentity: refuse("add-identity"),
  AT_SetExpression: refuse("set-expression"),
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
