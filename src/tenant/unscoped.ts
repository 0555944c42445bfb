import { TenantScopeError } from "../driver/errors.js";
import type { ParsedStatement } from "../sql/parser.js";
import { isObj, list, stringValue, text, unwrap } from "./ast.js";
import { deniedFunction } from "./functions.js";
import { relationKey } from "./registry.js";
import type { TenantRegistry } from "./types.js";

/** Keys under which PostgreSQL keeps object names as lists of `String` nodes (DROP, COMMENT, types). */
const NAME_LIST_KEYS = new Set(["items", "names", "objname"]);

function nameListKey(values: readonly unknown[]): string | undefined {
  if (values.length === 0 || values.length > 3) return undefined;
  const parts = values.map(stringValue);
  if (parts.some((p) => p === undefined)) return undefined;
  const strings = parts as string[];
  const table = strings[strings.length - 1] as string;
  return relationKey(strings.length >= 2 ? strings[strings.length - 2] : undefined, table);
}

/**
 * Refuses, for the plain (unscoped) db, any statement that touches a scoped
 * table anywhere: reads, writes, DDL (CREATE/ALTER/DROP/COMMENT/TRUNCATE on
 * it, views over it), names in subqueries and CTEs alike, and calls to
 * functions that read relations named in text. Conservative: a CTE that
 * shadows a scoped table's name is refused too.
 *
 * @throws TenantScopeError naming the scoped table.
 */
export function assertNotScoped(stmt: ParsedStatement, registry: TenantRegistry): void {
  const found = (key: string): never => {
    throw new TenantScopeError(
      `tenant scope: "${key}" is tenant-scoped; use withTenant(db, id) (or an explicit unscoped handle for migrations)`,
    );
  };
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      if (NAME_LIST_KEYS.has(key)) {
        const name = nameListKey(value);
        if (name !== undefined && registry.scoped.has(name)) found(name);
      }
      for (const item of value) visit(item, key);
      return;
    }
    if (!isObj(value)) return;
    const wrapped = unwrap(value);
    const body = wrapped ? wrapped[1] : value;
    const relname = text(body.relname);
    if (relname !== undefined && (wrapped === undefined || wrapped[0] === "RangeVar")) {
      const rel = relationKey(text(body.schemaname), relname);
      if (registry.scoped.has(rel)) found(rel);
    }
    if (wrapped?.[0] === "FuncCall") {
      const names = list(body.funcname);
      const name = stringValue(names[names.length - 1]);
      if (
        name !== undefined &&
        deniedFunction(name) &&
        /to_xml|ts_stat|ts_rewrite|dblink/.test(name)
      ) {
        throw new TenantScopeError(`tenant scope: function ${name}() may read scoped tables`);
      }
    }
    if (wrapped?.[0] === "RenameStmt") {
      const newname = text(body.newname);
      if (newname !== undefined && registry.scoped.has(relationKey(undefined, newname)))
        found(relationKey(undefined, newname));
    }
    for (const k of Object.keys(body)) visit(body[k], k);
  };
  visit(stmt.node, "");
}
