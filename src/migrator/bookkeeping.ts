import { MigrationDatabaseError, MigrationError } from "../errors.js";

/** Runs the migrator's own bookkeeping `work`, turning a database failure into a {@link MigrationDatabaseError}. */
export async function bookkeeping<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationDatabaseError(doing, error);
  }
}
