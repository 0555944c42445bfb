import type { CreateStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

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
      const create = statementBody<CreateStmt>(stmt);
      if (create.partspec) return [{ location: create.partspec.location }];
      if (create.partbound) return [{ location: create.relation?.location }];
      return [];
    }
    return alterCommands(stmt)
      .filter((c) => c.subtype === "AT_AttachPartition" || c.subtype === "AT_DetachPartition")
      .map(() => ({ location: stmt.start }));
  },
});
