import type { Constraint } from "@pgsql/types";
import { nodeOf } from "../sql/ast.js";
import { ON_ALTER, tableName } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

/** ADD PRIMARY KEY / ADD UNIQUE on an existing table. */
export const noAddUniqueConstraint = defineRule({
  id: "no-add-unique-constraint",
  description: "`ALTER TABLE ... ADD PRIMARY KEY` / `ADD UNIQUE` on an existing table",
  instead: "`CREATE UNIQUE INDEX ASYNC name ON t (cols)`; declare the primary key in CREATE TABLE",
  message:
    "ALTER TABLE ADD PRIMARY KEY / UNIQUE is not supported by DSQL: use CREATE UNIQUE INDEX ASYNC",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    const hits: Hit[] = [];
    for (const cmd of alterCommands(stmt)) {
      const constraint = nodeOf<Constraint>(cmd.def, "Constraint");
      const kind = constraint?.contype;
      if (
        cmd.subtype === "AT_AddIndexConstraint" ||
        kind === "CONSTR_PRIMARY" ||
        kind === "CONSTR_UNIQUE"
      ) {
        const what = kind === "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE";
        hits.push({
          location: constraint?.location,
          message: `ALTER TABLE ADD ${what} is not supported by DSQL: use CREATE UNIQUE INDEX ASYNC ... ON ${tableName(stmt)} (...)`,
        });
      }
    }
    return hits;
  },
});
