import type { ColumnDef, CreateStmt } from "@pgsql/types";
import { nodeOf, statementBody } from "../sql/ast.js";
import { alterCommands } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

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
      return (statementBody<CreateStmt>(stmt).tableElts ?? [])
        .map((elt) => nodeOf<ColumnDef>(elt, "ColumnDef"))
        .filter((col) => col?.compression)
        .map((col) => ({ location: col?.location }));
    }
    return alterCommands(stmt)
      .filter(
        (cmd) =>
          cmd.subtype === "AT_SetCompression" ||
          (cmd.subtype === "AT_AddColumn" && nodeOf<ColumnDef>(cmd.def, "ColumnDef")?.compression),
      )
      .map(() => ({ location: stmt.start }));
  },
});
