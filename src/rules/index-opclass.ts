import type { IndexStmt } from "@pgsql/types";
import { statementBody, stringOf } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";
import { asyncIndexFix } from "./index-fix.js";
import { indexKeys, keyWordLocation } from "./index-shape.js";

/** Operator classes on an index key. */
export const indexOpclass = defineRule({
  id: "index-opclass",
  description: "operator classes on index keys, e.g. `(name text_pattern_ops)`",
  instead: "leave out the operator class",
  message: "operator classes on index keys are not supported by DSQL: leave it out",
  sqlstate: "0A000",
  on: ["IndexStmt"],
  find(stmt) {
    const index = statementBody<IndexStmt>(stmt);
    const hits: Hit[] = [];
    for (const key of indexKeys(index)) {
      const opclass = key.opclass?.map(stringOf).join(".");
      if (!opclass) continue;
      hits.push({
        location: keyWordLocation(stmt, key.name, opclass),
        message: `operator class ${opclass} on index key ${key.name ?? "expression"} is not supported by DSQL: leave it out`,
        fix: asyncIndexFix(stmt),
      });
    }
    return hits;
  },
});
