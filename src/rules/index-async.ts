import type { IndexStmt } from "@pgsql/types";
import { bodyOf, stringOf } from "./ast.js";
import { defineRule, type Hit } from "./define.js";
import { asyncIndexFix } from "./index-fix.js";
import { indexKeys, keyWordLocation, usingLocation } from "./index-shape.js";

const ON_INDEX = ["IndexStmt"] as const;

/** CREATE INDEX without ASYNC, or with CONCURRENTLY. */
export const indexAsync = defineRule({
  id: "index-async",
  description:
    "`CREATE INDEX` without `ASYNC`, and `CREATE INDEX CONCURRENTLY` (`unsupported mode. please use CREATE INDEX ASYNC.`)",
  instead: "`CREATE [UNIQUE] INDEX ASYNC name ON t (col, ...)`",
  message: "unsupported mode. please use CREATE INDEX ASYNC.",
  sqlstate: "0A000",
  on: ON_INDEX,
  find(stmt) {
    const index = bodyOf<IndexStmt>(stmt);
    if (stmt.async && !index.concurrent) return [];
    const message = index.concurrent
      ? "CREATE INDEX CONCURRENTLY is not supported by DSQL: unsupported mode. please use CREATE INDEX ASYNC."
      : "unsupported mode. please use CREATE INDEX ASYNC.";
    return [{ location: stmt.start, message, fix: asyncIndexFix(stmt) }];
  },
});

/** CREATE INDEX ... USING <method>, even btree. */
export const indexNoUsing = defineRule({
  id: "index-no-using",
  description: "`USING <method>` in CREATE INDEX, even `USING btree`",
  instead: "leave out `USING ...`: DSQL builds its own B-tree indexes",
  message: "DSQL does not accept USING <method> in CREATE INDEX: leave it out",
  sqlstate: "0A000",
  on: ON_INDEX,
  find(stmt) {
    const location = usingLocation(stmt);
    if (location === undefined) return [];
    const method = bodyOf<IndexStmt>(stmt).accessMethod ?? "btree";
    return [
      {
        location,
        message: `DSQL does not accept USING ${method} in CREATE INDEX: leave it out (DSQL builds its own B-tree)`,
        fix: asyncIndexFix(stmt),
      },
    ];
  },
});

/** ASC / DESC on an index key. */
export const indexSortOrder = defineRule({
  id: "index-sort-order",
  description:
    "`ASC` / `DESC` on an index key (`specifying sort order not supported for index keys`)",
  instead: "leave out ASC/DESC (NULLS FIRST/LAST is fine); B-tree indexes are read both ways",
  message: "specifying sort order not supported for index keys: leave out ASC/DESC",
  sqlstate: "0A000",
  on: ON_INDEX,
  find(stmt) {
    const index = bodyOf<IndexStmt>(stmt);
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

/** Operator classes on an index key. */
export const indexOpclass = defineRule({
  id: "index-opclass",
  description: "operator classes on index keys, e.g. `(name text_pattern_ops)`",
  instead: "leave out the operator class",
  message: "operator classes on index keys are not supported by DSQL: leave it out",
  sqlstate: "0A000",
  on: ON_INDEX,
  find(stmt) {
    const index = bodyOf<IndexStmt>(stmt);
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
