import type { CreateSeqStmt, DefElem, Node, TypeName } from "@pgsql/types";
import { typeNameOf } from "../../sql/ast.js";
import { clone, typeName } from "./ast.js";
import { cacheOption } from "./serial.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/**
 * `CREATE SEQUENCE`: DSQL sequences are bigint with CACHE 1 or >= 65536;
 * `AS integer` is widened, a missing or invalid CACHE becomes 65536 (CACHE 1
 * kept), and IF NOT EXISTS is added.
 */
export function rewriteCreateSequence(
  stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const node = clone(stmt.node) as { CreateSeqStmt: CreateSeqStmt };
  const seq = node.CreateSeqStmt;
  const name = seq.sequence?.relname ?? "";
  const options = (seq.options ?? []) as { DefElem: DefElem }[];
  const as = options.find((o) => o.DefElem.defname === "as");
  const asType = (as?.DefElem.arg as { TypeName?: TypeName } | undefined)?.TypeName;
  if (as && typeNameOf(asType) !== "int8") {
    as.DefElem.arg = { TypeName: typeName("pg_catalog", "int8") } as Node;
    log.change("sequence-bigint", `sequence ${name}: DSQL sequences are bigint`, "warning");
  }
  const cache = options.find((o) => o.DefElem.defname === "cache");
  const arg = cache?.DefElem.arg as
    | { Integer?: { ival?: number }; Float?: { fval?: string } }
    | undefined;
  const value = arg?.Integer
    ? (arg.Integer.ival ?? 0)
    : arg?.Float
      ? Number(arg.Float.fval)
      : undefined;
  if (value !== 1 && !(value !== undefined && value >= 65536)) {
    if (cache) cache.DefElem = (cacheOption(65536) as { DefElem: DefElem }).DefElem;
    else options.push(cacheOption(65536) as { DefElem: DefElem });
    log.change(
      "sequence-cache",
      `sequence ${name}: DSQL accepts CACHE 1 or >= 65536${value === undefined ? "" : `, not ${value}`}; CACHE 65536 used`,
      value === undefined ? "info" : "warning",
    );
  }
  seq.options = options as Node[];
  if (!seq.if_not_exists) {
    seq.if_not_exists = true;
    log.change(
      "idempotent-ddl",
      `sequence ${name}: IF NOT EXISTS lets an interrupted migration resume`,
    );
  }
  return [{ node }];
}
