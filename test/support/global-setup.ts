import type { TestProject } from "vitest/node";
import { warmPristineCache } from "../../src/driver/pglite-start.js";
import { findPostgresBin, type PostgresServer, startPostgres } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL, or "" when there is none. */
    postgresUrl: string;
    /** Whether that server accepts TLS. */
    postgresTls: boolean;
  }
}

let server: PostgresServer | undefined;

/** Warms PGlite's start-up cache and starts a throwaway PostgreSQL (or uses DATABASE_URL). */
export async function setup(project: TestProject): Promise<void> {
  // Every pglite://memory twin in the suite then loads the cached data directory.
  const warming = warmPristineCache();
  try {
    await setupPostgres(project);
  } finally {
    await warming;
  }
}

/** Provides the suites' PostgreSQL URL for the whole run ("" to skip them). */
async function setupPostgres(project: TestProject): Promise<void> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    project.provide("postgresUrl", fromEnv);
    project.provide("postgresTls", false);
    return;
  }
  const bin = findPostgresBin();
  if (!bin) {
    const message =
      "\n*** No PostgreSQL binaries under /usr/lib/postgresql/*/bin and no DATABASE_URL: " +
      "the PostgreSQL suites are SKIPPED. Install postgresql to run them. ***\n";
    if (process.env.CI === "true") throw new Error(`${message}CI=true: nothing may skip.`);
    console.warn(message);
    project.provide("postgresUrl", "");
    project.provide("postgresTls", false);
    return;
  }
  server = await startPostgres(bin);
  project.provide("postgresUrl", server.url);
  project.provide("postgresTls", server.tls);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
