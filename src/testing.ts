/**
 * drizzle-dsql/testing: isolated, already-migrated twin databases for your
 * own test suites, on embedded PGlite or PostgreSQL.
 *
 * @packageDocumentation
 */

export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from "./testing/create-test-database.js";
