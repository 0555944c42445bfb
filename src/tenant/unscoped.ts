import { TenantScopeError } from "../errors.js";
import { isObj, list, qualifiedTableKey, stringOf, text, unwrapNode } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { deniedFunction } from "./functions.js";
import type { TenantRegistry } from "./types.js";

/** Keys under which PostgreSQL keeps object names as lists of `String` nodes (DROP, COMMENT, types). */
const NAME_LIST_KEYS = new Set(["items", "names", "objname"]);

/** The relation keys a list of `String` names may denote (`t`, `s.t`, `t.column`, `s.t.column`). */
function nameListKeys(values: readonly unknown[]): string[] {
  if (values.length === 0 || values.length > 3) return [];
  const parts = values.map(stringOf);
  if (parts.some((p) => p === undefined)) return [];
  const [a, b, c] = parts as string[];
  const keys = [qualifiedTableKey(undefined, a as string)];
  if (b !== undefined) keys.push(qualifiedTableKey(a, b), qualifiedTableKey(undefined, b));
  if (c !== undefined) keys.push(qualifiedTableKey(b, c));
  return keys;
}

/** Statements that can drop or take over every object of a role or schema. */
const SWEEPING = new Set(["DropOwnedStmt", "ReassignOwnedStmt"]);

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
        for (const name of nameListKeys(value)) if (registry.scoped.has(name)) found(name);
      }
      for (const item of value) visit(item, key);
      return;
    }
    if (!isObj(value)) return;
    const wrapped = unwrapNode(value);
    const body = wrapped ? wrapped[1] : value;
    const relname = text(body.relname);
    if (relname !== undefined && (wrapped === undefined || wrapped[0] === "RangeVar")) {
      const rel = qualifiedTableKey(text(body.schemaname), relname);
      if (registry.scoped.has(rel)) found(rel);
    }
    if (wrapped?.[0] === "FuncCall") {
      const names = list(body.funcname);
      const name = stringOf(names[names.length - 1]);
      if (
        name !== undefined &&
        deniedFunction(name) &&
        /to_xml|ts_stat|ts_rewrite|dblink/.test(name)
      ) {
        throw new TenantScopeError(`tenant scope: function ${name}() may read scoped tables`);
      }
    }
    if (wrapped && SWEEPING.has(wrapped[0]) && registry.scoped.size > 0) {
      throw new TenantScopeError(`tenant scope: ${wrapped[0]} can drop or hand over scoped tables`);
    }
    const schemaObject =
      (wrapped?.[0] === "DropStmt" && body.removeType === "OBJECT_SCHEMA") ||
      (wrapped?.[0] === "RenameStmt" && body.renameType === "OBJECT_SCHEMA");
    if (schemaObject) {
      const names = [...list(body.objects).map(stringOf), text(body.subname)];
      const schemas = new Set([...registry.scoped].map((k) => k.slice(0, k.indexOf("."))));
      const hit = names.find((n) => n !== undefined && schemas.has(n));
      if (hit !== undefined)
        throw new TenantScopeError(`tenant scope: schema "${hit}" holds scoped tables`);
    }
    if (wrapped?.[0] === "RenameStmt") {
      const newname = text(body.newname);
      if (newname !== undefined && registry.scoped.has(qualifiedTableKey(undefined, newname)))
        found(qualifiedTableKey(undefined, newname));
    }
    for (const k of Object.keys(body)) visit(body[k], k);
  };
  visit(stmt.node, "");
}
