/** Rows a write statement changed, from the driver's result. */
export function rowCount(result: unknown): number {
  return (result as { rowCount?: number | null } | undefined)?.rowCount ?? 0;
}
