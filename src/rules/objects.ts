import type {
  CreateFunctionStmt,
  CreateTableAsStmt,
  DefineStmt,
  VacuumStmt,
  ViewStmt,
} from "@pgsql/types";
import { bodyOf, defElems, optionText } from "./ast.js";
import { defineRule } from "./define.js";

/** TRUNCATE. */
export const noTruncate = defineRule({
  id: "no-truncate",
  description: "`TRUNCATE`",
  instead: "`DELETE FROM t` in batches of at most 3,000 rows per transaction",
  message: "TRUNCATE is not supported by DSQL: DELETE in batches of at most 3,000 rows",
  sqlstate: "0A000",
  on: ["TruncateStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

/** Triggers and event triggers. */
export const noTrigger = defineRule({
  id: "no-trigger",
  description: "triggers and event triggers",
  instead: "do the work in application code, in the same transaction",
  message: "triggers are not supported by DSQL: do the work in application code",
  sqlstate: "0A000",
  on: ["CreateTrigStmt", "CreateEventTrigStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

/** CREATE / ALTER EXTENSION. */
export const noExtension = defineRule({
  id: "no-extension",
  description: "`CREATE EXTENSION` and other extension statements",
  instead: "nothing to install: `gen_random_uuid()` is built in; do the rest in application code",
  message: "extensions are not supported by DSQL",
  sqlstate: "0A000",
  on: ["CreateExtensionStmt", "AlterExtensionStmt", "AlterExtensionContentsStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

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
    if (stmt.type === "DefineStmt" && bodyOf<DefineStmt>(stmt).kind !== "OBJECT_TYPE") return [];
    const message =
      stmt.type === "CreateDomainStmt"
        ? "CREATE DOMAIN is not supported by DSQL: use the base type with a CHECK constraint"
        : undefined;
    return [message ? { location: stmt.start, message } : { location: stmt.start }];
  },
});

/** CREATE PROCEDURE. */
export const noProcedure = defineRule({
  id: "no-procedure",
  description: "`CREATE PROCEDURE`",
  instead: "application code, or a `LANGUAGE sql` function",
  message: "procedures are not supported by DSQL: use application code or a LANGUAGE sql function",
  sqlstate: "0A000",
  on: ["CreateFunctionStmt"],
  find: (stmt) => (bodyOf<CreateFunctionStmt>(stmt).is_procedure ? [{ location: stmt.start }] : []),
});

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
    const fn = bodyOf<CreateFunctionStmt>(stmt);
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

/** Materialized views. */
export const noMaterializedView = defineRule({
  id: "no-materialized-view",
  description: "materialized views (`CREATE` / `REFRESH MATERIALIZED VIEW`)",
  instead: "a plain view, or a table your application refreshes",
  message: "materialized views are not supported by DSQL: use a plain view or a table you refresh",
  sqlstate: "0A000",
  on: ["CreateTableAsStmt", "RefreshMatViewStmt"],
  find(stmt) {
    if (stmt.type === "RefreshMatViewStmt") return [{ location: stmt.start }];
    const ctas = bodyOf<CreateTableAsStmt>(stmt);
    return ctas.objtype === "OBJECT_MATVIEW" ? [{ location: stmt.start }] : [];
  },
});

/** Temporary views. */
export const noTempView = defineRule({
  id: "no-temp-view",
  description: "temporary views (`CREATE TEMP VIEW`)",
  instead: "a plain view, or the query inline / as a CTE",
  message: "temporary views are not supported by DSQL: use a plain view or a CTE",
  sqlstate: "0A000",
  on: ["ViewStmt"],
  find(stmt) {
    const view = bodyOf<ViewStmt>(stmt).view;
    return view?.relpersistence === "t" ? [{ location: view.location }] : [];
  },
});

/** VACUUM (ANALYZE alone is fine). */
export const noVacuum = defineRule({
  id: "no-vacuum",
  description: "`VACUUM`",
  instead: "nothing: DSQL maintains storage itself",
  message: "VACUUM is not supported by DSQL: storage is maintained for you",
  sqlstate: "0A000",
  on: ["VacuumStmt"],
  find: (stmt) => (bodyOf<VacuumStmt>(stmt).is_vacuumcmd ? [{ location: stmt.start }] : []),
});

/** CREATE DATABASE. */
export const noCreateDatabase = defineRule({
  id: "no-create-database",
  description: "`CREATE DATABASE`",
  instead: "a cluster per database, or schemas within one",
  message: "CREATE DATABASE is not supported by DSQL: create another cluster, or use a schema",
  sqlstate: "0A000",
  on: ["CreatedbStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
