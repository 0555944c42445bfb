import type { AlterTableCmd, Constraint, Node, RangeVar } from "@pgsql/types";
import { columnRef, identifier } from "./ast.js";
import type { Emitted } from "./types.js";

/** `ALTER TABLE relation <cmd>`. */
export function alterTable(relation: RangeVar, cmd: AlterTableCmd): Node {
  return {
    AlterTableStmt: {
      relation,
      cmds: [{ AlterTableCmd: cmd }],
      objtype: "OBJECT_TABLE",
    },
  } as Node;
}

/** `ALTER TABLE ASYNC relation VALIDATE CONSTRAINT name` (returns a job id on DSQL). */
export function validateConstraint(relation: RangeVar, name: string): Emitted {
  return { node: alterTable(relation, { subtype: "AT_ValidateConstraint", name }), async: true };
}

/**
 * `ALTER TABLE t ADD CONSTRAINT c ... NOT VALID` then `ALTER TABLE ASYNC t
 * VALIDATE CONSTRAINT c`: DSQL adds constraints to existing tables only so.
 */
export function addConstraintValidated(relation: RangeVar, constraint: Constraint): Emitted[] {
  const def: Constraint = {
    is_enforced: true,
    ...constraint,
    skip_validation: true,
    initially_valid: false,
  };
  return [
    {
      node: alterTable(relation, { subtype: "AT_AddConstraint", def: { Constraint: def } as Node }),
    },
    validateConstraint(relation, constraint.conname ?? ""),
  ];
}

/** The name drizzle-dsql gives the CHECK that stands for `column NOT NULL`. */
export function notNullConstraintName(relation: RangeVar, column: string): string {
  return identifier([relation.relname ?? "", column, "not_null"]);
}

/**
 * `NOT NULL` on an existing table, the DSQL way: `ADD CONSTRAINT t_c_not_null
 * CHECK (c IS NOT NULL) NOT VALID` and an async VALIDATE, which fails on
 * existing NULLs as `SET NOT NULL` would.
 */
export function notNullCheck(relation: RangeVar, column: string): Emitted[] {
  return addConstraintValidated(relation, {
    contype: "CONSTR_CHECK",
    conname: notNullConstraintName(relation, column),
    raw_expr: { NullTest: { arg: columnRef(column), nulltesttype: "IS_NOT_NULL" } } as Node,
  });
}
