import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  CreateStmt,
  IndexStmt,
  Node,
  RenameStmt,
} from "@pgsql/types";
import { bodyOf, nodeOf } from "./ast.js";
import { defineRule, type Hit } from "./define.js";

function alterCommands(node: Node | undefined): AlterTableCmd[] {
  const cmds = (node as { AlterTableStmt?: AlterTableStmt } | undefined)?.AlterTableStmt?.cmds;
  return (cmds ?? []).flatMap((cmd) => {
    const found = nodeOf<AlterTableCmd>(cmd, "AlterTableCmd");
    return found ? [found] : [];
  });
}

function isIndexAlter(stmt: { type: string; node: Node }): boolean {
  if (stmt.type === "AlterTableStmt")
    return (
      (stmt.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt.objtype === "OBJECT_INDEX"
    );
  if (stmt.type === "RenameStmt")
    return (stmt.node as { RenameStmt: RenameStmt }).RenameStmt.renameType === "OBJECT_INDEX";
  if (stmt.type === "AlterObjectSchemaStmt")
    return (
      (stmt.node as { AlterObjectSchemaStmt: { objectType?: string } }).AlterObjectSchemaStmt
        .objectType === "OBJECT_INDEX"
    );
  return false;
}

/** ALTER INDEX in any form (RENAME, SET, SET SCHEMA, ...). */
export const noAlterIndex = defineRule({
  id: "no-alter-index",
  description: "`ALTER INDEX` (rename, storage parameters, schema, ...)",
  instead:
    "`DROP INDEX` then `CREATE INDEX ASYNC` with the new definition or name (the transform does this for renames)",
  message: "ALTER INDEX is not supported by DSQL: drop the index and CREATE INDEX ASYNC it again",
  sqlstate: "0A000",
  on: ["AlterTableStmt", "RenameStmt", "AlterObjectSchemaStmt"],
  find: (stmt) => (isIndexAlter(stmt) ? [{ location: stmt.start }] : []),
});

/** Storage parameters: `WITH (fillfactor = ...)` on tables and indexes, `ALTER TABLE ... SET (...)`. */
export const noStorageParameters = defineRule({
  id: "no-storage-parameters",
  description:
    "storage parameters: `CREATE TABLE / INDEX ... WITH (...)`, `ALTER TABLE ... SET / RESET (...)`",
  instead: "leave them out: DSQL manages storage itself",
  message: "storage parameters (WITH (...)) are not supported by DSQL: leave them out",
  sqlstate: "0A000",
  on: ["CreateStmt", "IndexStmt", "AlterTableStmt"],
  find(stmt): Hit[] {
    if (stmt.type === "CreateStmt")
      return bodyOf<CreateStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
    if (stmt.type === "IndexStmt")
      return bodyOf<IndexStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
    if (isIndexAlter(stmt)) return [];
    return alterCommands(stmt.node)
      .filter((cmd) => cmd.subtype === "AT_SetRelOptions" || cmd.subtype === "AT_ResetRelOptions")
      .map(() => ({ location: stmt.start }));
  },
});

/** ON COMMIT (temporary tables only in PostgreSQL; DSQL has none). */
export const noOnCommit = defineRule({
  id: "no-on-commit",
  description: "`CREATE TABLE ... ON COMMIT { DROP | DELETE ROWS | PRESERVE ROWS }`",
  instead: "a regular table, cleaned up by the application",
  message: "ON COMMIT is not supported by DSQL (it has no temporary tables)",
  sqlstate: "0A000",
  on: ["CreateStmt"],
  find(stmt): Hit[] {
    const oncommit = bodyOf<CreateStmt>(stmt).oncommit;
    return oncommit && oncommit !== "ONCOMMIT_NOOP" ? [{ location: stmt.start }] : [];
  },
});

/** Column compression methods: `COMPRESSION pglz`, `ALTER COLUMN ... SET COMPRESSION`. */
export const noCompression = defineRule({
  id: "no-compression",
  description: "column compression: `col text COMPRESSION lz4`, `ALTER COLUMN ... SET COMPRESSION`",
  instead: "leave it out: DSQL chooses how it stores values",
  message: "column COMPRESSION is not supported by DSQL: leave it out",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt): Hit[] {
    if (stmt.type === "CreateStmt") {
      return (bodyOf<CreateStmt>(stmt).tableElts ?? [])
        .map((elt) => nodeOf<ColumnDef>(elt, "ColumnDef"))
        .filter((col) => col?.compression)
        .map((col) => ({ location: col?.location }));
    }
    return alterCommands(stmt.node)
      .filter(
        (cmd) =>
          cmd.subtype === "AT_SetCompression" ||
          (cmd.subtype === "AT_AddColumn" && nodeOf<ColumnDef>(cmd.def, "ColumnDef")?.compression),
      )
      .map(() => ({ location: stmt.start }));
  },
});

/** REPLICA IDENTITY (logical replication settings). */
export const noReplicaIdentity = defineRule({
  id: "no-replica-identity",
  description: "`ALTER TABLE ... REPLICA IDENTITY`",
  instead: "leave it out: DSQL has no logical replication slots",
  message: "REPLICA IDENTITY is not supported by DSQL",
  sqlstate: "0A000",
  on: ["AlterTableStmt"],
  find: (stmt) =>
    alterCommands(stmt.node)
      .filter((cmd) => cmd.subtype === "AT_ReplicaIdentity")
      .map(() => ({ location: stmt.start })),
});
