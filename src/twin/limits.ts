/** DSQL's transaction, row and value limits that the local twin enforces; each field gives DSQL's value. */
export interface TwinLimits {
  /** Rows modified per transaction. DSQL: 3,000. */
  maxRows: number;
  /** Bytes written per transaction (rows written plus index entries, uncompressed). DSQL: 10 MiB. */
  maxBytes: number;
  /** Bytes of one text / json / jsonb / bytea value. DSQL: 1 MiB. */
  maxValueBytes: number;
  /** Bytes of one row. DSQL: 2 MiB. */
  maxRowBytes: number;
  /** Bytes of one key (primary key or index key columns). DSQL: 1 KiB. */
  maxKeyBytes: number;
  /** Transaction age in milliseconds. DSQL: 300 s. */
  maxAgeMs: number;
}

/** DSQL's documented limits. */
export const DSQL_LIMITS: Readonly<TwinLimits> = Object.freeze({
  maxRows: 3000,
  maxBytes: 10 * 1024 * 1024,
  maxValueBytes: 1024 * 1024,
  maxRowBytes: 2 * 1024 * 1024,
  maxKeyBytes: 1024,
  maxAgeMs: 300_000,
});

/** Validates overrides (used by tests and benchmarks) over DSQL's limits. */
export function resolveTwinLimits(overrides: Partial<TwinLimits> | undefined): TwinLimits {
  const limits = { ...DSQL_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(
        `twinLimits.${name} must be a positive finite number, got ${String(value)}`,
      );
    }
  }
  return limits;
}

/** Approximate bytes a statement writes: its parameters plus the text's literals. */
export function approximateWriteBytes(sqlText: string, params: readonly unknown[]): number {
  let bytes = sqlText.length;
  for (const value of params) bytes += valueBytes(value);
  return bytes;
}

/**
 * Bytes a driver value takes: a string's UTF-8 length, a byte array's length,
 * an object's JSON text, 8 for numbers and booleans, 0 for null. Shared with
 * the bulk helpers' size estimates.
 */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === "object") return Buffer.byteLength(JSON.stringify(value) ?? "");
  return 8;
}

/**
 * Whether an `INSERT ... VALUES` of parameters only needs no server check:
 * every row it sends (parameters split evenly over its rows, as drizzle and
 * `batchInsert` write them) is within the key-size limit, so each value, row
 * and key of it is within DSQL's limits, and it writes exactly `rows` rows.
 */
export function sentRowsWithinLimits(
  params: readonly unknown[],
  rows: number,
  limits: TwinLimits,
): boolean {
  const perRow = rows > 0 ? Math.ceil(params.length / rows) : params.length;
  let row = 0;
  for (let i = 0; i < params.length; i++) {
    row += valueBytes(params[i]);
    if (row > limits.maxKeyBytes) return false;
    if ((i + 1) % perRow === 0) row = 0;
  }
  return true;
}
