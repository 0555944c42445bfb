/**
 * The tenant column of an INSERT: appended as `$T` when missing, `DEFAULT`
 * turned into `$T`, a caller parameter kept and listed for the execute-time
 * check, anything else refused. Works on the already scoped source.
 */
import { bodyOf, list, type Obj, paramRef, refuse, text } from "./ast.js";
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
    const res = bodyOf(c, "ResTarget");
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
  const src = bodyOf(selectStmt, "SelectStmt") as Obj;
  const appendCols = index < 0 ? [...cols, { ResTarget: { name: column } }] : [...cols];
  if (src.valuesLists !== undefined) {
    if (src.op !== undefined && src.op !== "SETOP_NONE")
      refuse("INSERT from an unreadable VALUES list");
    const rows = list(src.valuesLists).map((row) => {
      const items = list(bodyOf(row, "List")?.items);
      if (items.length !== cols.length)
        refuse("INSERT with a VALUES row whose length differs from the column list");
      if (index < 0) {
        state.usesTenant = true;
        return { List: { items: [...items, tenant] } };
      }
      return {
        List: { items: items.map((item, i) => (i === index ? tenantValue(item, state) : item)) },
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
  const hasStar = targets.some((t) =>
    list(bodyOf(bodyOf(t, "ResTarget")?.val, "ColumnRef")?.fields).some((f) => bodyOf(f, "A_Star")),
  );
  if (hasStar || targets.length !== cols.length) {
    refuse(`INSERT ... SELECT supplying "${column}" must list its values one by one`);
  }
  const value = bodyOf(targets[index], "ResTarget")?.val;
  const checked = tenantValue(value, state, "INSERT ... SELECT");
  const newTargets = targets.map((t, i) =>
    i === index ? { ResTarget: { ...bodyOf(t, "ResTarget"), val: checked } } : t,
  );
  return { cols: appendCols, selectStmt: { SelectStmt: { ...src, targetList: newTargets } } };
}

/** The value in the tenant position of an INSERT: DEFAULT becomes `$T`, `$k` is checked, others refused. */
function tenantValue(item: unknown, state: State, where = "INSERT"): unknown {
  const { column } = state.registry;
  if (bodyOf(item, "SetToDefault") && where === "INSERT") {
    state.usesTenant = true;
    return paramRef(state.param);
  }
  const param = bodyOf(item, "ParamRef");
  if (param && typeof param.number === "number") {
    state.checkParams.add(param.number);
    return item;
  }
  return refuse(
    `${where} sets the tenant column "${column}" to an expression; use DEFAULT, omit it, or pass a parameter`,
  );
}
