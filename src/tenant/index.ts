/**
 * The tenant scope: registry, rewriter, verifier and checks. Pure functions
 * over SQL text and parse trees; the driver's gate calls them per statement.
 */

export { bindTenant, type TenantBinding } from "./bind.js";
export { planTenantSql, planTenantStatement } from "./plan.js";
export { buildTenantRegistry, type TenantRegistryOptions } from "./registry.js";
export { assertTenantId, MAX_TENANT_ID_LENGTH } from "./tenant-id.js";
export type { TenantPlan, TenantRegistry } from "./types.js";
export { assertNotScoped } from "./unscoped.js";
export { type VerifiedPlan, verifyTenantPlan } from "./verify.js";
