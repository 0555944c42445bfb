import { TenantScopeError } from "../errors.js";

/** The longest tenant id accepted. */
export const MAX_TENANT_ID_LENGTH = 256;

/** A UTF-16 surrogate without its partner: such a string has no UTF-8 form, so two ids could store alike. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Validates a tenant id: a string of 1 to 256 characters that is not only
 * whitespace, is well-formed UTF-16 (no lone surrogates, which PostgreSQL
 * would store as the same replacement text) and holds no NUL (which
 * PostgreSQL text cannot hold).
 *
 * @example
 * ```ts
 * assertTenantId("tenant-123"); // "tenant-123"
 * assertTenantId("\ud800");     // throws TenantScopeError
 * ```
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
  if (id.trim().length === 0) {
    throw new TenantScopeError("tenant scope: the tenant id is only whitespace");
  }
  if (id.includes("\u0000")) {
    throw new TenantScopeError("tenant scope: the tenant id contains a NUL character");
  }
  if (LONE_SURROGATE.test(id)) {
    throw new TenantScopeError(
      "tenant scope: the tenant id is not well-formed UTF-16 (it holds a lone surrogate)",
    );
  }
  return id;
}
