import type { CreateFunctionStmt } from "@pgsql/types";
import { defElems, optionText, statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** Functions in a language other than SQL, and DO blocks. */
export const sqlFunctionsOnly = defineRule({
  id: "sql-functions-only",
  description: "functions in languages other than SQL (`LANGUAGE plpgsql`, ...) and `DO` blocks",
  instead: "`LANGUAGE sql` functions, or application code",
  message: "only LANGUAGE sql functions are supported by DSQL",
  sqlstate: "0A000",
  on: ["CreateFunctionStmt", "DoStmt"],
  find(stmt) {
    if (stmt.type === "DoStmt") {
      return [
        {
          location: stmt.start,
          message: "DO blocks are not supported by DSQL: use application code",
        },
      ];
    }
    const fn = statementBody<CreateFunctionStmt>(stmt);
    if (fn.is_procedure) return [];
    const language = optionText(defElems(fn.options).find((o) => o.defname === "language")?.arg);
    if (language === undefined || language === "sql") return [];
    return [
      {
        location: stmt.start,
        message: `LANGUAGE ${language} functions are not supported by DSQL: write a LANGUAGE sql function or application code`,
      },
    ];
  },
});
