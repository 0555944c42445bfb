import { defineConfig } from "drizzle-kit";

// The example app's schema; `npx drizzle-dsql generate` writes DSQL-safe
// migrations for it into ./drizzle.
export default defineConfig({
  dialect: "postgresql",
  schema: "./examples/schema.ts",
  out: "./drizzle",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
