import { TenantScopeError } from "../errors.js";

/** Where a planned statement takes the tenant id (a `TenantPlan` or the driver's statement plan). */
export interface TenantBinding {
  /** 1-based `$n` carrying the tenant id, or 0. */
  readonly tenantParam: number;
  /** 1-based parameters that must equal the tenant id. */
  readonly checkParams: readonly number[];
}

/**
 * Binds the tenant id as the plan's extra parameter and checks the caller's
 * tenant parameters.
 *
 * @param plan Where the tenant id goes and which parameters must equal it.
 * @param params The caller's parameters, in `$n` order.
 * @param tenantId The scope's tenant id.
 * @returns The parameters to send: `params` itself when the plan binds nothing.
 * @throws TenantScopeError when the plan needs a tenant id and there is none,
 *   or a checked parameter is not the tenant id.
 */
export function bindTenant(
  plan: TenantBinding,
  params: readonly unknown[],
  tenantId: string | undefined,
): unknown[] {
  if (plan.tenantParam === 0 && plan.checkParams.length === 0) return params as unknown[];
  if (tenantId === undefined) throw new TenantScopeError("Tenant scope has no tenant id");
  for (const n of plan.checkParams) {
    const value = params[n - 1];
    if (typeof value !== "string" || value !== tenantId) {
      throw new TenantScopeError(
        `Tenant scope refused a write: parameter $${n} sets the tenant column to a different tenant than the scope's`,
      );
    }
  }
  if (plan.tenantParam === 0) return params as unknown[];
  // The tenant goes one past the text's parameters, or into a number the text skips.
  const bound = params.slice(0, Math.max(plan.tenantParam - 1, params.length));
  while (bound.length < plan.tenantParam - 1) bound.push(null);
  bound[plan.tenantParam - 1] = tenantId;
  return bound;
}
