import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar } from "@pgsql/types";
import { columnConstraints } from "../../sql/ast.js";
import { uniqueIndex } from "./add-constraint.js";
import { addConstraintValidated, alterTable, notNullCheck } from "./alter.js";
import { clone, columnRef, identifier, setColumnConstraints, str } from "./ast.js";
import { rewriteColumnType } from "./column-types.js";
import { isNullLiteral } from "./defaults.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/** `UPDATE t SET c = d WHERE c IS NULL`: the backfill the migrator runs in batches. */
export function backfill(relation: RangeVar, column: string, value: Node): Node {
  return {
    UpdateStmt: {
      relation,
      targetList: [{ ResTarget: { name: column, val: value } }],
      whereClause: { NullTest: { arg: columnRef(column), nulltesttype: "IS_NULL" } },
    },
  } as Node;
}

/**
 * `ADD COLUMN c type DEFAULT d NOT NULL ...` → DSQL's steps, leaving existing
 * rows as PostgreSQL would: `ADD COLUMN IF NOT EXISTS c type`, `ALTER COLUMN c
 * SET DEFAULT d`, the backfill `UPDATE t SET c = d WHERE c IS NULL` (the
 * default is set first so rows written meanwhile are covered too), inline
 * UNIQUE → `CREATE UNIQUE INDEX ASYNC`, CHECK / REFERENCES → `ADD CONSTRAINT
 * ... NOT VALID` + async VALIDATE, NOT NULL → the CHECK (c IS NOT NULL) pattern.
 * Identity, generated and PRIMARY KEY columns cannot be added on DSQL: refused.
 */
export function rewriteAddColumn(
  relation: RangeVar,
  cmd: AlterTableCmd,
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const copy = clone(cmd);
  const col = (copy.def as { ColumnDef: ColumnDef }).ColumnDef;
  const column = col.colname ?? "";
  const table = relation.relname ?? "";
  rewriteColumnType(col, ctx, log);
  let defaultExpr: Node | undefined;
  let notNull = false;
  const after: Emitted[] = [];
  for (const c of columnConstraints(col)) {
    switch (c.contype) {
      case "CONSTR_DEFAULT":
        if (c.raw_expr && !isNullLiteral(c.raw_expr)) defaultExpr = c.raw_expr;
        break;
      case "CONSTR_NOTNULL":
        notNull = true;
        break;
      case "CONSTR_NULL":
        break;
      case "CONSTR_UNIQUE":
        after.push(
          uniqueIndex(
            relation,
            { ...c, keys: [str(column)] },
            c.conname ?? identifier([table, column, "key"]),
          ),
        );
        break;
      case "CONSTR_CHECK":
        after.push(
          ...addConstraintValidated(relation, {
            ...c,
            conname: c.conname ?? identifier([table, column, "check"]),
          }),
        );
        break;
      case "CONSTR_FOREIGN":
        if (ctx.options.foreignKeys === "drop") {
          log.change(
            "foreign-key-drop",
            `column "${column}": foreign key removed (foreignKeys: "drop", CLI --dsql-foreign-keys drop)`,
            "warning",
          );
          break;
        }
        after.push(
          ...addConstraintValidated(relation, {
            ...c,
            conname: c.conname ?? identifier([table, column, "fkey"]),
            fk_attrs: [str(column)],
          }),
        );
        break;
      case "CONSTR_IDENTITY":
      case "CONSTR_GENERATED":
        log.refuse(
          "add-column-constraint",
          `column "${column}": DSQL cannot add an identity, serial or generated column to an existing table; add a uuid column with DEFAULT gen_random_uuid(), or create a new table and copy the rows`,
        );
        break;
      case "CONSTR_PRIMARY":
        log.refuse(
          "add-column-constraint",
          `column "${column}": DSQL fixes a table's primary key at CREATE TABLE; create a new table with the key and copy the rows`,
        );
        break;
      default:
        log.refuse(
          "add-column-constraint",
          `column "${column}": constraint ${c.contype} cannot be added to an existing table on DSQL`,
        );
    }
  }
  setColumnConstraints(col, [] as Constraint[]);
  const out: Emitted[] = [];
  if (!copy.missing_ok) {
    copy.missing_ok = true;
    log.change(
      "idempotent-ddl",
      `column "${column}": ADD COLUMN IF NOT EXISTS lets an interrupted migration resume`,
    );
  }
  out.push({ node: alterTable(relation, copy) });
  if (defaultExpr) {
    out.push({
      node: alterTable(relation, { subtype: "AT_ColumnDefault", name: column, def: defaultExpr }),
    });
    out.push({ node: backfill(relation, column, defaultExpr) });
    log.change(
      "add-column-default",
      `column "${column}": DSQL's ADD COLUMN takes no DEFAULT; the default is set afterwards and existing rows are backfilled (the migrator runs the UPDATE in batches within DSQL's row limit)`,
    );
  }
  if (after.length > 0) {
    log.change(
      "add-column-constraint",
      `column "${column}": DSQL's ADD COLUMN takes no constraints; they are added afterwards (NOT VALID + async VALIDATE, unique → CREATE UNIQUE INDEX ASYNC)`,
    );
  }
  out.push(...after);
  if (notNull) {
    log.change(
      "not-null-check",
      `column "${column}": DSQL's ADD COLUMN takes no NOT NULL; enforced by CHECK (${column} IS NOT NULL) NOT VALID + async VALIDATE` +
        (defaultExpr
          ? ""
          : " (the VALIDATE fails if existing rows exist, as PostgreSQL's ADD COLUMN ... NOT NULL would)"),
      "warning",
    );
    out.push(...notNullCheck(relation, column));
  }
  return out;
}
