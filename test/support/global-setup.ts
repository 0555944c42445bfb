import type { TestProject } from "vitest/node";
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

/** Starts a throwaway PostgreSQL (or uses DATABASE_URL) for the whole run. */
export async function setup(project: TestProject): Promise<void> {
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
