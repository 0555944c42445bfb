import type { AlterTableCmd, Constraint, IndexStmt, Node, RangeVar } from "@pgsql/types";
import { stringsOf } from "../../sql/ast.js";
import { addConstraintValidated, alterTable, notNullCheck } from "./alter.js";
import { identifier } from "./ast.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

function defaultName(relation: RangeVar, c: Constraint, suffix: string): string {
  const columns = stringsOf(c.fk_attrs ?? c.keys);
  return identifier([relation.relname ?? "", ...columns, suffix]);
}

/** `CREATE UNIQUE INDEX ASYNC IF NOT EXISTS name ON t (keys)`, the DSQL form of a UNIQUE constraint. */
export function uniqueIndex(relation: RangeVar, c: Constraint, name: string): Emitted {
  const index: IndexStmt = {
    idxname: name,
    relation,
    accessMethod: "btree",
    indexParams: stringsOf(c.keys).map(
      (key) =>
        ({
          IndexElem: {
            name: key,
            ordering: "SORTBY_DEFAULT",
            nulls_ordering: "SORTBY_NULLS_DEFAULT",
          },
        }) as Node,
    ),
    unique: true,
    if_not_exists: true,
  };
  if (c.including?.length) {
    index.indexIncludingParams = stringsOf(c.including).map(
      (col) =>
        ({
          IndexElem: {
            name: col,
            ordering: "SORTBY_DEFAULT",
            nulls_ordering: "SORTBY_NULLS_DEFAULT",
          },
        }) as Node,
    );
  }
  if (c.nulls_not_distinct) index.nulls_not_distinct = true;
  return { node: { IndexStmt: index } as Node, async: true };
}

/**
 * `ADD CONSTRAINT` on an existing table: FOREIGN KEY and CHECK → `NOT VALID`
 * plus async VALIDATE (or, with `foreignKeys: "drop"`, FKs removed); UNIQUE →
 * `CREATE UNIQUE INDEX ASYNC`; PRIMARY KEY and EXCLUDE refused.
 */
export function rewriteAddConstraint(
  relation: RangeVar,
  cmd: AlterTableCmd,
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const c = (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
  const unchanged = [{ node: alterTable(relation, cmd) }];
  if (!c) return unchanged;
  const table = relation.relname ?? "";
  switch (c.contype) {
    case "CONSTR_FOREIGN":
    case "CONSTR_CHECK": {
      const fk = c.contype === "CONSTR_FOREIGN";
      if (fk && ctx.options.foreignKeys === "drop") {
        log.change(
          "foreign-key-drop",
          `table ${table}: foreign key ${c.conname ?? ""} removed (foreignKeys: "drop", CLI --dsql-foreign-keys drop); keep referential integrity in the application`,
          "warning",
        );
        return [];
      }
      if (c.skip_validation) return unchanged;
      const named = { ...c, conname: c.conname ?? defaultName(relation, c, fk ? "fkey" : "check") };
      log.change(
        fk ? "foreign-key-not-valid" : "check-not-valid",
        `table ${table}: DSQL adds constraints to existing tables only as NOT VALID followed by ALTER TABLE ASYNC ... VALIDATE CONSTRAINT ${named.conname}`,
      );
      return addConstraintValidated(relation, named);
    }
    case "CONSTR_UNIQUE": {
      const name = c.conname ?? defaultName(relation, c, "key");
      log.change(
        "unique-to-index",
        `table ${table}: DSQL has no ADD UNIQUE; a unique index ${name} is built with CREATE UNIQUE INDEX ASYNC instead (drop it with DROP INDEX, not DROP CONSTRAINT)`,
        "warning",
      );
      if (c.indexname) {
        log.refuse(
          "no-add-unique-constraint",
          `table ${table}: DSQL has no ADD UNIQUE USING INDEX`,
        );
      }
      return [uniqueIndex(relation, c, name)];
    }
    case "CONSTR_NOTNULL": {
      const column = stringsOf(c.keys)[0] ?? "";
      log.change(
        "not-null-check",
        `column "${column}": DSQL has no NOT NULL constraint on existing tables; enforced by a validated CHECK`,
        "warning",
      );
      return notNullCheck(relation, column);
    }
    case "CONSTR_PRIMARY":
      log.refuse(
        "no-add-unique-constraint",
        `table ${table}: DSQL fixes a table's primary key at CREATE TABLE (no ADD PRIMARY KEY). Expand/contract: create a new table with the key, copy rows in batches, switch the application over, then drop the old table`,
      );
      return unchanged;
    case "CONSTR_EXCLUSION":
      log.refuse("no-exclusion-constraint", `table ${table}: DSQL has no exclusion constraints`);
      return unchanged;
    default:
      return unchanged;
  }
}
