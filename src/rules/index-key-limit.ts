import type { IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { tableConstraints } from "./columns.js";
import { defineRule, type Hit } from "./define.js";
import { isIndexConstraint, MAX_INDEX_KEYS } from "./index-limit-values.js";
import { indexKeys } from "./index-shape.js";

/** More than 8 key columns in an index (54011). */
export const indexKeyLimit = defineRule({
  id: "index-key-limit",
  description: "more than 8 key columns in one index, primary key or unique constraint",
  instead: "at most 8 key columns; move the rest to `INCLUDE (...)`",
  message: "more than 8 column keys in an index are not supported",
  sqlstate: "54011",
  limit: true,
  on: ["IndexStmt", "CreateStmt"],
  find(stmt) {
    const hits: Hit[] = [];
    if (stmt.type === "IndexStmt") {
      const index = statementBody<IndexStmt>(stmt);
      const count = indexKeys(index).length;
      if (count > MAX_INDEX_KEYS) {
        hits.push({
          location: index.relation?.location,
          message: `more than 8 column keys in an index are not supported (${count} keys): move the rest to INCLUDE (...)`,
        });
      }
      return hits;
    }
    for (const constraint of tableConstraints(stmt)) {
      const count = constraint.keys?.length ?? 0;
      if (!isIndexConstraint(constraint) || count <= MAX_INDEX_KEYS) continue;
      hits.push({
        location: constraint.location,
        message: `more than 8 column keys in an index are not supported (${count} keys in a ${constraint.contype === "CONSTR_PRIMARY" ? "primary key" : "unique constraint"})`,
      });
    }
    return hits;
  },
});
