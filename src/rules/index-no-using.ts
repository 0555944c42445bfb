import type { IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";
import { asyncIndexFix } from "./index-fix.js";
import { usingLocation } from "./index-shape.js";

/** CREATE INDEX ... USING <method>, even btree. */
export const indexNoUsing = defineRule({
  id: "index-no-using",
  description: "`USING <method>` in CREATE INDEX, even `USING btree`",
  instead: "leave out `USING ...`: DSQL builds its own B-tree indexes",
  message: "DSQL does not accept USING <method> in CREATE INDEX: leave it out",
  sqlstate: "0A000",
  on: ["IndexStmt"],
  find(stmt) {
    const location = usingLocation(stmt);
    if (location === undefined) return [];
    const method = statementBody<IndexStmt>(stmt).accessMethod ?? "btree";
    return [
      {
        location,
        message: `DSQL does not accept USING ${method} in CREATE INDEX: leave it out (DSQL builds its own B-tree)`,
        fix: asyncIndexFix(stmt),
      },
    ];
  },
});
