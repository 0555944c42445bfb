import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import type { ParsedStatement } from "./parser.js";

/** Primary-key column names per table, keyed `schema.table` (schema `public` when unqualified). */
export type PrimaryKeys = ReadonlyMap<string, readonly string[]>;

/** Reads each schema table's primary key (single column or composite) from a Drizzle schema. */
export function primaryKeysOf(schema: Record<string, unknown> | undefined): PrimaryKeys {
  const keys = new Map<string, string[]>();
  for (const value of Object.values(schema ?? {})) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const single = config.columns.filter((c) => c.primary).map((c) => c.name);
    const composite = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [];
    const columns = single.length > 0 ? single : composite;
    if (columns.length > 0) keys.set(`${config.schema ?? "public"}.${config.name}`, columns);
  }
  return keys;
}

type Node = Record<string, unknown>;

function body(node: unknown, type: string): Node | undefined {
  return (node as Record<string, Node | undefined> | undefined)?.[type];
}

function isConstant(node: unknown): boolean {
  if (body(node, "ParamRef") || body(node, "A_Const")) return true;
  const cast = body(node, "TypeCast");
  return cast !== undefined && isConstant(cast.arg);
}

/** The column an `x = constant` conjunct pins, when it refers to `target` (by name or alias). */
function pinnedColumn(conjunct: unknown, target: readonly string[]): string | undefined {
  const expr = body(conjunct, "A_Expr");
  if (expr?.kind !== "AEXPR_OP") return undefined;
  const op = (expr.name as Node[] | undefined)?.map((n) => body(n, "String")?.sval).join(".");
  if (op !== "=") return undefined;
  const [ref, other] = body(expr.lexpr, "ColumnRef")
    ? [expr.lexpr, expr.rexpr]
    : [expr.rexpr, expr.lexpr];
  const fields = (body(ref, "ColumnRef")?.fields as Node[] | undefined)?.map(
    (f) => body(f, "String")?.sval as string | undefined,
  );
  if (!fields || !isConstant(other) || fields.some((f) => f === undefined)) return undefined;
  if (fields.length === 1) return fields[0];
  if (fields.length === 2 && target.includes(fields[0] as string)) return fields[1];
  return undefined;
}

function conjuncts(where: unknown): unknown[] {
  const bool = body(where, "BoolExpr");
  if (bool?.boolop === "AND_EXPR") return (bool.args as unknown[]).flatMap(conjuncts);
  return where === undefined ? [] : [where];
}

/**
 * An upper bound on the rows an UPDATE or DELETE writes, when its WHERE pins
 * every primary-key column of the target to a constant or parameter (then at
 * most one row): the local twin can skip the transaction it would otherwise
 * wrap a lone statement in to enforce DSQL's 3,000-row limit.
 */
export function maxRowsWritten(stmt: ParsedStatement, keys: PrimaryKeys): number | undefined {
  const node = body(stmt.node, "UpdateStmt") ?? body(stmt.node, "DeleteStmt");
  if (!node || node.withClause) return undefined;
  const relation = node.relation as
    | { relname?: string; schemaname?: string; alias?: { aliasname?: string } }
    | undefined;
  if (!relation?.relname) return undefined;
  const key = keys.get(`${relation.schemaname ?? "public"}.${relation.relname}`);
  if (!key) return undefined;
  const names = [relation.alias?.aliasname ?? relation.relname];
  const pinned = new Set(conjuncts(node.whereClause).map((c) => pinnedColumn(c, names)));
  return key.every((column) => pinned.has(column)) ? 1 : undefined;
}
