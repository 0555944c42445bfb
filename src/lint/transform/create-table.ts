import type { ColumnDef, Constraint, CreateStmt, Node } from "@pgsql/types";
import { columnConstraints } from "../../sql/ast.js";
import { clone, setColumnConstraints } from "./ast.js";
import { rewriteColumnType } from "./column-types.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

function keepConstraint(
  c: Constraint,
  where: string,
  ctx: TransformContext,
  log: StatementLog,
): boolean {
  if (c.contype === "CONSTR_EXCLUSION") {
    log.refuse("no-exclusion-constraint", `${where}: DSQL has no exclusion constraints`);
  }
  if (c.contype === "CONSTR_FOREIGN" && ctx.options.foreignKeys === "drop") {
    log.change(
      "foreign-key-drop",
      `${where}: foreign key ${c.conname ?? ""} removed (foreignKeys: "drop", CLI --dsql-foreign-keys drop); keep referential integrity in the application`,
      "warning",
    );
    return false;
  }
  return true;
}

/**
 * `CREATE TABLE` → `CREATE TABLE IF NOT EXISTS` with every column type made
 * DSQL-safe (serial, identity cache, arrays, json, enums). TEMP, partitioned
 * and inheriting tables are refused.
 */
export function rewriteCreateTable(
  stmt: { node: Node },
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const node = clone(stmt.node) as { CreateStmt: CreateStmt };
  const create = node.CreateStmt;
  const table = create.relation?.relname ?? "";
  if (create.relation?.relpersistence === "t")
    log.refuse("no-temp-table", `table ${table}: DSQL has no TEMP tables`);
  if (create.partspec || create.partbound) {
    log.refuse("no-partition", `table ${table}: DSQL has no partitioned tables`);
  }
  if ((create.inhRelations?.length ?? 0) > 0)
    log.refuse("no-inherits", `table ${table}: DSQL has no INHERITS`);
  const elements: Node[] = [];
  for (const element of create.tableElts ?? []) {
    const col = (element as { ColumnDef?: ColumnDef }).ColumnDef;
    if (col) {
      rewriteColumnType(col, ctx, log);
      const where = `table ${table} column "${col.colname}"`;
      setColumnConstraints(
        col,
        columnConstraints(col).filter((c) => keepConstraint(c, where, ctx, log)),
      );
      elements.push(element);
      continue;
    }
    const constraint = (element as { Constraint?: Constraint }).Constraint;
    if (constraint && !keepConstraint(constraint, `table ${table}`, ctx, log)) continue;
    elements.push(element);
  }
  create.tableElts = elements;
  if (!create.if_not_exists) {
    create.if_not_exists = true;
    log.change(
      "idempotent-ddl",
      `table ${table}: IF NOT EXISTS lets an interrupted migration resume`,
    );
  }
  return [{ node }];
}
