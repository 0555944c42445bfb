import { DsqlError } from "../errors.js";

/** A bulk helper's integer option, from 1 to `max`; anything else is a typed error naming it. */
export function positiveInteger(helper: string, name: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new DsqlError(
      `${helper}: ${name} must be an integer from 1 to ${max}, got ${String(value)}`,
    );
  }
  return value;
}
