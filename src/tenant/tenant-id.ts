import { TenantScopeError } from "../driver/errors.js";

/** The longest tenant id accepted. */
export const MAX_TENANT_ID_LENGTH = 256;

/**
 * Validates a tenant id: a non-empty string of at most 256 characters.
 *
 * @returns the id, typed as a string.
 * @throws TenantScopeError when the id is anything else.
 */
export function assertTenantId(id: unknown): string {
  if (typeof id !== "string") {
    throw new TenantScopeError(`tenant scope: the tenant id must be a string, got ${typeof id}`);
  }
  if (id.length === 0) throw new TenantScopeError("tenant scope: the tenant id is empty");
  if (id.length > MAX_TENANT_ID_LENGTH) {
    throw new TenantScopeError(
      `tenant scope: the tenant id is ${id.length} characters long; at most ${MAX_TENANT_ID_LENGTH} are allowed`,
    );
  }
  return id;
}
