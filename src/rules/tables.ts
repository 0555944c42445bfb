import type { CreateStmt, CreateTableAsStmt, IndexStmt, RangeVar } from "@pgsql/types";
import { bodyOf, relationKey } from "./ast.js";
import { addedConstraints, alterCommands, newColumns, tableConstraints } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

/** Columns DSQL allows in one table. */
export const MAX_COLUMNS = 255;

/** Temporary tables. */
export const noTempTable = defineRule({
  id: "no-temp-table",
  description: "temporary tables (`CREATE TEMP TABLE`)",
  instead: "a regular table, or a CTE / VALUES list in the query",
  message: "temporary tables are not supported by DSQL: use a regular table or a CTE",
  sqlstate: "0A000",
  on: ["CreateStmt", "CreateTableAsStmt"],
  find(stmt) {
    const relation =
      stmt.type === "CreateStmt"
        ? bodyOf<CreateStmt>(stmt).relation
        : bodyOf<CreateTableAsStmt>(stmt).into?.rel;
    return relation?.relpersistence === "t" ? [{ location: relation.location }] : [];
  },
});

/** Partitioned tables and partitions. */
export const noPartition = defineRule({
  id: "no-partition",
  description: "partitioning (`PARTITION BY`, `PARTITION OF`, `ATTACH` / `DETACH PARTITION`)",
  instead: "one plain table; DSQL spreads data across storage itself",
  message: "table partitioning is not supported by DSQL: use one plain table",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt) {
    if (stmt.type === "CreateStmt") {
      const create = bodyOf<CreateStmt>(stmt);
      if (create.partspec) return [{ location: create.partspec.location }];
      if (create.partbound) return [{ location: create.relation?.location }];
      return [];
    }
    return alterCommands(stmt)
      .filter((c) => c.subtype === "AT_AttachPartition" || c.subtype === "AT_DetachPartition")
      .map(() => ({ location: stmt.start }));
  },
});

/** Table inheritance. */
export const noInherits = defineRule({
  id: "no-inherits",
  description: "table inheritance (`INHERITS`, `ALTER TABLE ... INHERIT`)",
  instead: "copy the columns into each table",
  message: "table inheritance is not supported by DSQL: declare the columns in each table",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt) {
    if (stmt.type === "CreateStmt") {
      const create = bodyOf<CreateStmt>(stmt);
      // PARTITION OF also lists the parent in inhRelations; no-partition reports that.
      if (create.partbound || !create.inhRelations?.length) return [];
      return [{ location: create.relation?.location }];
    }
    return alterCommands(stmt)
      .filter((c) => c.subtype === "AT_AddInherit")
      .map(() => ({ location: stmt.start }));
  },
});

/** CREATE TABLE ... AS SELECT. */
export const noCreateTableAs = defineRule({
  id: "no-create-table-as",
  description: "`CREATE TABLE ... AS SELECT`",
  instead: "`CREATE TABLE` with its columns, then `INSERT INTO ... SELECT` in batches",
  message: "CREATE TABLE AS is not supported by DSQL: CREATE TABLE, then INSERT ... SELECT",
  sqlstate: "0A000",
  on: ["CreateTableAsStmt"],
  find(stmt) {
    const ctas = bodyOf<CreateTableAsStmt>(stmt);
    return ctas.objtype === "OBJECT_TABLE" ? [{ location: stmt.start }] : [];
  },
});

/** SELECT ... INTO new_table. */
export const noSelectInto = defineRule({
  id: "no-select-into",
  description: "`SELECT ... INTO new_table`",
  instead: "`CREATE TABLE`, then `INSERT INTO ... SELECT`",
  message: "SELECT INTO is not supported by DSQL: CREATE TABLE, then INSERT ... SELECT",
  sqlstate: "0A000",
  on: ["SelectStmt"],
  find(stmt) {
    const into = bodyOf<{ intoClause?: { rel?: { location?: number } } }>(stmt).intoClause;
    return into ? [{ location: into.rel?.location }] : [];
  },
});

/** Tablespaces. */
export const noTablespace = defineRule({
  id: "no-tablespace",
  description: "tablespaces (`CREATE TABLESPACE`, `TABLESPACE x`, `SET TABLESPACE`)",
  instead: "leave out the tablespace",
  message: "tablespaces are not supported by DSQL: leave out the tablespace",
  sqlstate: "0A000",
  on: [
    "CreateStmt",
    "IndexStmt",
    "CreateTableAsStmt",
    "AlterTableStmt",
    "CreateTableSpaceStmt",
    "AlterTableMoveAllStmt",
  ],
  find(stmt) {
    const at = [{ location: stmt.start }];
    switch (stmt.type) {
      case "CreateStmt":
        return bodyOf<CreateStmt>(stmt).tablespacename ? at : [];
      case "IndexStmt":
        return bodyOf<IndexStmt>(stmt).tableSpace ? at : [];
      case "CreateTableAsStmt":
        return bodyOf<CreateTableAsStmt>(stmt).into?.tableSpaceName ? at : [];
      case "AlterTableStmt":
        return alterCommands(stmt).some((c) => c.subtype === "AT_SetTableSpace") ? at : [];
      default:
        return at;
    }
  },
});

/** More than 255 columns in a table: CREATE TABLE, or ADD COLUMN where the table is in view. */
export const columnCountLimit = defineRule({
  id: "column-count-limit",
  description:
    "more than 255 columns in one table (`CREATE TABLE`, or `ADD COLUMN` where the CREATE TABLE is in view)",
  instead:
    "split the table (one-to-one child table), or keep rarely used fields in a JSON text column",
  message: "tables can have at most 255 columns on DSQL",
  sqlstate: "54011",
  limit: true,
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt, ctx) {
    const relation = bodyOf<{ relation?: RangeVar }>(stmt).relation;
    const added = newColumns(stmt);
    let count = added.length;
    if (stmt.type === "AlterTableStmt") {
      const known = ctx.tables?.get(relationKey(relation))?.columns;
      if (!known || added.length === 0) return [];
      count += known.size;
    }
    if (count <= MAX_COLUMNS) return [];
    return [
      {
        location: relation?.location,
        message: `tables can have at most ${MAX_COLUMNS} columns on DSQL; this one would have ${count}`,
      },
    ];
  },
});

/** Exclusion constraints. */
export const noExclusionConstraint = defineRule({
  id: "no-exclusion-constraint",
  description: "exclusion constraints (`EXCLUDE USING ...`)",
  instead: "a unique index (`CREATE UNIQUE INDEX ASYNC`), or checks in application code",
  message: "exclusion constraints are not supported by DSQL",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt) {
    const constraints =
      stmt.type === "CreateStmt" ? tableConstraints(stmt) : addedConstraints(stmt);
    const hits: Hit[] = [];
    for (const constraint of constraints) {
      if (constraint.contype === "CONSTR_EXCLUSION") hits.push({ location: constraint.location });
    }
    return hits;
  },
});
