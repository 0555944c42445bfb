/** DSQL's per-transaction limits that the local twin enforces (FACTS.md). */
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
  for (const value of params) {
    if (value === null || value === undefined) continue;
    if (typeof value === "string") bytes += Buffer.byteLength(value);
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (typeof value === "object") bytes += Buffer.byteLength(JSON.stringify(value) ?? "");
    else bytes += 8;
  }
  return bytes;
}
