/**
 * Run as a subprocess by the tests: opens the twin named by argv[2], prints
 * the public tables it sees as JSON, and closes it. With argv[3] = "leave" it
 * creates a PostgreSQL test database from the migrations in argv[4] on the
 * server argv[2] and exits without closing it; prints the database name.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "../../src/index.js";
import { createTestDatabase } from "../../src/testing.js";

const [connection = "pglite://memory", mode, migrationsFolder = ""] = process.argv.slice(2);
if (mode === "leave") {
  const t = await createTestDatabase({ migrationsFolder, backend: "postgres", url: connection });
  const { rows } = await t.db.execute<{ name: string }>(sql`select current_database() as name`);
  process.stdout.write(JSON.stringify(rows[0]?.name));
  await t.db.$close(); // the database itself is left for the exit hook
} else {
  const db = drizzle({ connection });
  const { rows } = await db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' order by 1`,
  );
  process.stdout.write(JSON.stringify(rows.map((row) => row.tablename)));
  await db.$close();
}
