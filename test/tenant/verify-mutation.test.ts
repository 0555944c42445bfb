/**
 * The verifier must notice any single missing tenant filter. Take planned
 * statements (random ones from the property generator), remove one tenant
 * predicate or tenant value at a time, print the tree again, and expect
 * `verifyTenantPlan` to refuse every such mutant.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TenantScopeError } from "../../src/errors.js";
import { bodyIfType, isObj, list, type Obj } from "../../src/sql/ast.js";
import { deparse, loadParser, parseStatements } from "../../src/sql/parser.js";
import { planTenantSql } from "../../src/tenant/plan.js";
import { verifyTenantPlan } from "../../src/tenant/verify.js";
import { generateStatement } from "./generator.js";
import { registry } from "./oracle.js";

beforeAll(async () => {
  await loadParser();
});

/** Whether `node` is `x.tenant_id = $param` (any qualifier). */
function isTenantFilter(node: unknown, param: number): boolean {
  const expr = bodyIfType(node, "A_Expr");
  const fields = list(bodyIfType(expr?.lexpr, "ColumnRef")?.fields);
  const last = bodyIfType(fields[fields.length - 1], "String")?.sval;
  return last === "tenant_id" && bodyIfType(expr?.rexpr, "ParamRef")?.number === param;
}

/**
 * A node without the tenant tests of an error-oracle guard (`CASE WHEN
 * <tenant tests> THEN <condition> END`): those order evaluation, they do not
 * scope rows, so removing them is no scoping mutant (the attack tests cover
 * them).
 */
function guardFree(v: Obj): Obj {
  const when = bodyIfType(v, "CaseWhen");
  return when ? { result: when.result } : v;
}

/** How many places `mutate` can remove a tenant filter or value in `tree`. */
function countSites(tree: unknown, param: number): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
      return;
    }
    if (!isObj(v)) return;
    if (isTenantFilter(v, param) || bodyIfType(v, "ParamRef")?.number === param) {
      n += 1;
      return;
    }
    for (const k of Object.keys(v)) visit(guardFree(v)[k]);
  };
  visit(tree);
  return n;
}

/**
 * A copy of `tree` with site number `target` removed: a tenant filter is
 * dropped from its AND (or replaced by `true`); a bare `$T` (an INSERT's
 * tenant value) becomes the literal 'B'.
 */
function mutate(tree: unknown, param: number, target: number): unknown {
  let seen = -1;
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!isObj(v)) return v;
    if (isTenantFilter(v, param)) {
      seen += 1;
      if (seen === target) return { A_Const: { boolval: { boolval: true } } };
      return v;
    }
    if (bodyIfType(v, "ParamRef")?.number === param) {
      seen += 1;
      if (seen === target) return { A_Const: { sval: { sval: "B" } } };
      return v;
    }
    const out: Record<string, unknown> = {};
    const free = guardFree(v);
    for (const k of Object.keys(v)) out[k] = k in free ? visit(free[k]) : (v as Obj)[k];
    return out;
  };
  return visit(tree);
}

describe("verifyTenantPlan catches every single removed tenant filter", () => {
  it("on 400 random planned statements", () => {
    const statements = fc.sample(
      fc.gen().map((g) => generateStatement(g)),
      { numRuns: 400, seed: 20261125 },
    );
    let mutants = 0;
    for (const stmt of statements) {
      let plan: ReturnType<typeof planTenantSql>;
      try {
        plan = planTenantSql(stmt.sql, registry);
      } catch (error) {
        if (error instanceof TenantScopeError) continue;
        throw error;
      }
      if (plan.tenantParam === 0) continue;
      const tree = parseStatements(plan.sql)[0]?.node;
      const sites = countSites(tree, plan.tenantParam);
      for (let site = 0; site < sites; site++) {
        const text = deparse(mutate(tree, plan.tenantParam, site) as never);
        mutants += 1;
        expect(
          () => verifyTenantPlan(text, registry, plan.tenantParam),
          `mutant ${site} of ${plan.sql}\n=> ${text}`,
        ).toThrow(TenantScopeError);
      }
    }
    console.log(`verifier mutation test: ${mutants} mutants, all refused`);
    expect(mutants).toBeGreaterThan(300);
  });
});
