import { newRuleContext } from "../rules/index.js";
import type { RuleContext } from "../rules/types.js";
import { contextTableKey } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import type { Queryable } from "./jobs.js";

/** Statement types whose rules need the target table's definition. */
const NEEDS_TABLE = new Set(["IndexStmt", "AlterTableStmt"]);

interface RangeVar {
  relname?: string;
  schemaname?: string;
}

function targetOf(stmt: ParsedStatement): RangeVar | undefined {
  if (!NEEDS_TABLE.has(stmt.type)) return undefined;
  return (stmt.node as Record<string, { relation?: RangeVar }>)[stmt.type]?.relation;
}

/** Whether the statement's rules want the live table's definition. */
export function needsCatalog(stmt: ParsedStatement): boolean {
  return targetOf(stmt)?.relname !== undefined;
}

// Columns (type names as the rules write them: int8, jsonb, text[]), the
// primary key's columns and the index count of one table.
const TABLE_SHAPE = `
with rel as (
  select to_regclass(case when $1::text is null then quote_ident($2) else quote_ident($1) || '.' || quote_ident($2) end) as oid
)
select
  (select coalesce(json_agg(json_build_array(a.attname,
      case when t.typelem <> 0 and t.typname like '\\_%' then substr(t.typname, 2) || '[]' else t.typname end)), '[]')
     from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = rel.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select coalesce(json_agg(a.attname), '[]')
     from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = rel.oid and i.indisprimary) as primary_key,
  (select count(*)::int from pg_index i where i.indrelid = rel.oid) as indexes
from rel where rel.oid is not null`;

/**
 * A rule context holding the live definition of the table a DDL statement
 * targets, read from the catalog, so the twin applies the rules that need it
 * (24 indexes per table, jsonb index keys, primary-key columns, 255 columns)
 * exactly as `check` does when the CREATE TABLE is in view.
 */
export async function catalogRuleContext(
  client: Queryable,
  stmt: ParsedStatement,
): Promise<RuleContext> {
  const ctx = newRuleContext();
  const target = targetOf(stmt);
  if (!target?.relname) return ctx;
  const result = await client.query(TABLE_SHAPE, [target.schemaname ?? null, target.relname]);
  const row = result.rows[0] as
    | { columns: [string, string][]; primary_key: string[]; indexes: number }
    | undefined;
  if (!row) return ctx;
  const key = contextTableKey(target);
  ctx.indexesPerTable.set(key, row.indexes);
  ctx.tables?.set(key, { columns: new Map(row.columns), primaryKey: new Set(row.primary_key) });
  return ctx;
}
