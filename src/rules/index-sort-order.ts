import type { IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";
import { asyncIndexFix } from "./index-fix.js";
import { indexKeys, keyWordLocation } from "./index-shape.js";

/** ASC / DESC on an index key. */
export const indexSortOrder = defineRule({
  id: "index-sort-order",
  description:
    "`ASC` / `DESC` on an index key (`specifying sort order not supported for index keys`)",
  instead: "leave out ASC/DESC (NULLS FIRST/LAST is fine); B-tree indexes are read both ways",
  message: "specifying sort order not supported for index keys: leave out ASC/DESC",
  sqlstate: "0A000",
  on: ["IndexStmt"],
  find(stmt) {
    const index = statementBody<IndexStmt>(stmt);
    const hits: Hit[] = [];
    for (const key of indexKeys(index)) {
      if (key.ordering !== "SORTBY_ASC" && key.ordering !== "SORTBY_DESC") continue;
      const order = key.ordering === "SORTBY_ASC" ? "ASC" : "DESC";
      hits.push({
        location: keyWordLocation(stmt, key.name, order),
        message: `specifying sort order not supported for index keys (${key.name ?? "expression"} ${order}): leave out ASC/DESC`,
        fix: asyncIndexFix(stmt),
      });
    }
    return hits;
  },
});
