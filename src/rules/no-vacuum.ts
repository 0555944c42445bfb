import type { VacuumStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** VACUUM (ANALYZE alone is fine). */
export const noVacuum = defineRule({
  id: "no-vacuum",
  description: "`VACUUM`",
  instead: "nothing: DSQL maintains storage itself",
  message: "VACUUM is not supported by DSQL: storage is maintained for you",
  sqlstate: "0A000",
  on: ["VacuumStmt"],
  find: (stmt) => (statementBody<VacuumStmt>(stmt).is_vacuumcmd ? [{ location: stmt.start }] : []),
});
