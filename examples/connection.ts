import type { DsqlConnection } from "../src/index.js";

/** Where the example runs: a real DSQL cluster, a PostgreSQL, or embedded PGlite (the default). */
export function exampleConnection(env: NodeJS.ProcessEnv = process.env): {
  connection: DsqlConnection;
  label: string;
} {
  if (env.DSQL_ENDPOINT) {
    if (!env.DSQL_USER)
      throw new Error(
        "DSQL_ENDPOINT is set but DSQL_USER is not: name the database role to connect as",
      );
    return {
      connection: { host: env.DSQL_ENDPOINT, user: env.DSQL_USER, region: env.AWS_REGION },
      label: `Aurora DSQL at ${env.DSQL_ENDPOINT}`,
    };
  }
  if (env.DATABASE_URL)
    return { connection: env.DATABASE_URL, label: "PostgreSQL (DATABASE_URL), as a DSQL twin" };
  return { connection: "pglite://memory", label: "embedded PGlite (in memory), as a DSQL twin" };
}
