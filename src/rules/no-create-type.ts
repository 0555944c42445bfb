import type { DefineStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** CREATE TYPE (enum, composite, range, base) and CREATE DOMAIN. */
export const noCreateType = defineRule({
  id: "no-create-type",
  description:
    "`CREATE TYPE` (enum, composite, range, base), `ALTER TYPE ... ADD VALUE`, `CREATE DOMAIN`",
  instead: "a `text` column with `CHECK (col IN (...))`, or drizzle's `text({ enum: [...] })`",
  message: "CREATE TYPE is not supported by DSQL: use a text column with CHECK (col IN (...))",
  sqlstate: "0A000",
  on: [
    "CreateEnumStmt",
    "AlterEnumStmt",
    "CompositeTypeStmt",
    "CreateRangeStmt",
    "CreateDomainStmt",
    "DefineStmt",
  ],
  find(stmt) {
    if (stmt.type === "DefineStmt" && statementBody<DefineStmt>(stmt).kind !== "OBJECT_TYPE")
      return [];
    const message =
      stmt.type === "CreateDomainStmt"
        ? "CREATE DOMAIN is not supported by DSQL: use the base type with a CHECK constraint"
        : undefined;
    return [message ? { location: stmt.start, message } : { location: stmt.start }];
  },
});
