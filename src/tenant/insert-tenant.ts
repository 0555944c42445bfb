/**
 * The tenant column of an INSERT: appended as `$T` when missing, `DEFAULT`
 * turned into `$T`, a caller parameter kept and listed for the execute-time
 * check, anything else refused. Works on the already scoped source.
 */
import {
  bodyIfType,
  isObj,
  list,
  type Obj,
  qualifiedTableKey,
  stringOf,
  text,
} from "../sql/ast.js";
import { isExpansion, paramRef, refuse } from "./ast.js";
import type { State, Target } from "./rewrite-state.js";

/** Adds or checks the tenant column of an INSERT's column list and source rows. */
export function tenantizeInsert(
  cols: readonly unknown[],
  selectStmt: unknown,
  target: Target,
  state: State,
): { cols: unknown[]; selectStmt: unknown } {
  const { column } = state.registry;
  const names = cols.map((c) => {
    const res = bodyIfType(c, "ResTarget");
    if (!res) refuse("INSERT with an unreadable column list");
    return { name: text(res.name), indirect: list(res.indirection).length > 0 };
  });
  const index = names.findIndex((n) => n.name === column);
  if (names.filter((n) => n.name === column).length > 1) refuse(`INSERT names "${column}" twice`);
  if (index >= 0 && names[index]?.indirect)
    refuse(`INSERT assigns part of the tenant column "${column}"`);
  const tenant = paramRef(state.param);
  if (selectStmt === undefined) {
    // DEFAULT VALUES
    if (cols.length > 0) refuse("INSERT with columns but no values");
    state.usesTenant = true;
    return {
      cols: [{ ResTarget: { name: column } }],
      selectStmt: {
        SelectStmt: {
          valuesLists: [{ List: { items: [tenant] } }],
          limitOption: "LIMIT_OPTION_DEFAULT",
          op: "SETOP_NONE",
        },
      },
    };
  }
  if (cols.length === 0) refuse(`INSERT into scoped table "${target.key}" needs a column list`);
  const src = bodyIfType(selectStmt, "SelectStmt") as Obj;
  const appendCols = index < 0 ? [...cols, { ResTarget: { name: column } }] : [...cols];
  if (src.valuesLists !== undefined) {
    if (src.op !== undefined && src.op !== "SETOP_NONE")
      refuse("INSERT from an unreadable VALUES list");
    const rows = list(src.valuesLists).map((row) => {
      const items = list(bodyIfType(row, "List")?.items);
      const slot = tenantSlot(items, cols.length, index, "VALUES row");
      if (index < 0) {
        state.usesTenant = true;
        return { List: { items: [...items, tenant] } };
      }
      return {
        List: { items: items.map((item, i) => (i === slot ? tenantValue(item, state) : item)) },
      };
    });
    return { cols: appendCols, selectStmt: { SelectStmt: { ...src, valuesLists: rows } } };
  }
  if (index < 0) {
    state.usesTenant = true;
    const tenantTarget = { ResTarget: { val: tenant } };
    if (src.op === undefined || src.op === "SETOP_NONE") {
      return {
        cols: appendCols,
        selectStmt: { SelectStmt: { ...src, targetList: [...list(src.targetList), tenantTarget] } },
      };
    }
    // A set operation: SELECT *, $T FROM (<set operation>) AS tenant_source
    return {
      cols: appendCols,
      selectStmt: {
        SelectStmt: {
          targetList: [
            { ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } },
            tenantTarget,
          ],
          fromClause: [
            { RangeSubselect: { subquery: selectStmt, alias: { aliasname: "tenant_source" } } },
          ],
          limitOption: "LIMIT_OPTION_DEFAULT",
          op: "SETOP_NONE",
        },
      },
    };
  }
  if (src.op !== undefined && src.op !== "SETOP_NONE") {
    refuse(`INSERT ... SELECT with a set operation may not supply the tenant column "${column}"`);
  }
  const targets = list(src.targetList);
  const values = targets.map((t) => bodyIfType(t, "ResTarget")?.val);
  const slot = tenantSlot(values, cols.length, index, "INSERT ... SELECT");
  const checked =
    selectedTenant(values[slot], src, state) ??
    tenantValue(values[slot], state, "INSERT ... SELECT");
  const newTargets = targets.map((t, i) =>
    i === slot ? { ResTarget: { ...bodyIfType(t, "ResTarget"), val: checked } } : t,
  );
  return { cols: appendCols, selectStmt: { SelectStmt: { ...src, targetList: newTargets } } };
}

/**
 * Where the tenant value sits among a row's `items` for `count` columns with
 * the tenant column at `index` (-1: absent, appended last). A row expansion
 * (`t.*`, `(expr).*`) makes every later position unknown, so then only the
 * last item, itself no expansion, may hold the tenant column, which must be
 * the last column: PostgreSQL maps the last item to the last column or fails.
 */
function tenantSlot(
  items: readonly unknown[],
  count: number,
  index: number,
  where: string,
): number {
  const expanding = items.some(isExpansion);
  if (!expanding) {
    if (items.length !== count)
      refuse(`INSERT with a ${where} whose length differs from the column list`);
    return index;
  }
  if (index < 0) return -1;
  if (index !== count - 1 || isExpansion(items[items.length - 1])) {
    refuse(
      `a ${where} with a row expansion (t.* or (expr).*) may supply the tenant column only as its last item, for the last column`,
    );
  }
  return items.length - 1;
}

/**
 * \`INSERT ... SELECT\` that copies the tenant column of the scoped rows it
 * reads (\`insert().select()\` of a scoped query): every such row already
 * holds \`$T\`, so the value becomes \`$T\`. Only for a plain FROM of tables
 * (inner joins), so the name cannot come from a subquery or CTE.
 */
function selectedTenant(value: unknown, src: Obj, state: State): Obj | undefined {
  const fields = list(bodyIfType(value, "ColumnRef")?.fields).map(stringOf);
  const { column } = state.registry;
  if (fields.length === 0 || fields.length > 2 || fields.at(-1) !== column) return undefined;
  const refs = scopedRefs(list(src.fromClause), state);
  if (refs === undefined) return undefined;
  const qualifier = fields.length === 2 ? fields[0] : undefined;
  const ok = qualifier === undefined ? refs.length === 1 : refs.includes(qualifier as string);
  if (!ok) return undefined;
  state.usesTenant = true;
  return paramRef(state.param);
}

/** The names of scoped tables in a FROM list of plain tables and inner joins; undefined for anything else. */
function scopedRefs(items: readonly unknown[], state: State): string[] | undefined {
  const out: string[] = [];
  const visit = (item: unknown): boolean => {
    const rel = bodyIfType(item, "RangeVar");
    if (rel) {
      const key = qualifiedTableKey(text(rel.schemaname), text(rel.relname) ?? "");
      if (state.registry.globals.has(key)) return true;
      if (!state.registry.scoped.has(key) || rel.schemaname === undefined) return false;
      const alias = isObj(rel.alias) ? rel.alias : undefined;
      if (list(alias?.colnames).length > 0) return false;
      out.push(text(alias?.aliasname) ?? (text(rel.relname) as string));
      return true;
    }
    const join = bodyIfType(item, "JoinExpr");
    if (join?.jointype !== "JOIN_INNER" || join.alias !== undefined) return false;
    return visit(join.larg) && visit(join.rarg);
  };
  return items.every(visit) ? out : undefined;
}

/** The value in the tenant position of an INSERT: DEFAULT becomes `$T`, `$k` is checked, others refused. */
function tenantValue(item: unknown, state: State, where = "INSERT"): unknown {
  const { column } = state.registry;
  if (bodyIfType(item, "SetToDefault") && where === "INSERT") {
    state.usesTenant = true;
    return paramRef(state.param);
  }
  const param = bodyIfType(item, "ParamRef");
  if (param && typeof param.number === "number") {
    state.checkParams.add(param.number);
    return item;
  }
  return refuse(
    `${where} sets the tenant column "${column}" to an expression; use DEFAULT, omit it, or pass a parameter`,
  );
}
