import type { CopyStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";

/** COPY from or to a file or program on the server. */
export const noCopyFile = defineRule({
  id: "no-copy-file",
  description: "`COPY ... FROM / TO` a server file or `PROGRAM` (`COPY ... FROM STDIN` is fine)",
  instead: "`COPY ... FROM STDIN` from the client, or `batchInsert()`",
  message:
    "COPY with a server file or program is not supported by DSQL: copy FROM STDIN from the client",
  sqlstate: "0A000",
  on: ["CopyStmt"],
  find(stmt): Hit[] {
    const copy = statementBody<CopyStmt>(stmt);
    return copy.filename || copy.is_program ? [{ location: stmt.start }] : [];
  },
});
