import type { DefElem, Node, TransactionStmt, VariableSetStmt } from "@pgsql/types";
import { defElems, optionText, statementBody } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";

const ISOLATION_SETTINGS = new Set(["default_transaction_isolation", "transaction_isolation"]);
function isolationHits(options: DefElem[]): Hit[] {
  const hits: Hit[] = [];
  for (const option of options) {
    if (option.defname !== "transaction_isolation") continue;
    const level = optionText(option.arg);
    if (level === "repeatable read") continue;
    hits.push({
      location: option.location,
      message: `isolation level ${level?.toUpperCase() ?? "?"} is not supported by DSQL: it always runs REPEATABLE READ (snapshot isolation); leave the level out`,
    });
  }
  return hits;
}

/** Isolation levels other than REPEATABLE READ. */
export const isolationLevel = defineRule({
  id: "isolation-level",
  description:
    "isolation levels other than REPEATABLE READ (`BEGIN ISOLATION LEVEL ...`, `SET TRANSACTION ...`, `SET default_transaction_isolation`)",
  instead: "leave the level out: DSQL always runs snapshot isolation (REPEATABLE READ)",
  message: "DSQL runs only REPEATABLE READ (snapshot isolation): leave the isolation level out",
  sqlstate: "0A000",
  on: ["TransactionStmt", "VariableSetStmt"],
  find(stmt) {
    if (stmt.type === "TransactionStmt") {
      return isolationHits(defElems(statementBody<TransactionStmt>(stmt).options));
    }
    const set = statementBody<VariableSetStmt>(stmt);
    const name = (set.name ?? "").toLowerCase();
    if (name === "transaction" || name === "session characteristics") {
      return isolationHits(defElems(set.args));
    }
    if (!ISOLATION_SETTINGS.has(name)) return [];
    const args: Node[] = set.args ?? [];
    const level = args.length > 0 ? optionText(args[0]) : undefined;
    if (level === undefined || level === "repeatable read") return [];
    return [
      {
        location: set.location,
        message: `isolation level ${level.toUpperCase()} is not supported by DSQL: it always runs REPEATABLE READ (snapshot isolation)`,
      },
    ];
  },
});
