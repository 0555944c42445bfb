/**
 * Run as a subprocess by the tests: opens the twin named by argv[2], prints
 * the public tables it sees as JSON, and closes it. With argv[3] = "leave" it
 * creates a PostgreSQL test database from the migrations in argv[4] on the
 * server argv[2] and exits without closing it; prints the database name.
 * With argv[3] = "pglite-testdb" it takes argv[5] PGlite test databases from
 * the migrations in argv[4] one after the other (a row written in each),
 * closes each, waits for the spare made ahead, and lets the process end by
 * itself; prints the row counts each saw and the spares left. With argv[3] =
 * "exit" or "hang" it creates a PostgreSQL test database (and its spare) and
 * prints its pid, then calls process.exit() or waits to be killed. With
 * argv[3] = "pglite-exit" it opens the twin argv[2], prints its socket
 * folder and calls process.exit() with the twin open.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "../../src/index.js";
import { pgliteSpareCount, pgliteSparesCreated } from "../../src/testing/pglite-clone.js";
import { postgresSparesCreated } from "../../src/testing/postgres-clone.js";
import { createTestDatabase } from "../../src/testing.js";

const [connection = "pglite://memory", mode, migrationsFolder = "", count = "1"] =
  process.argv.slice(2);
if (mode === "leave") {
  const t = await createTestDatabase({ migrationsFolder, backend: "postgres", url: connection });
  const { rows } = await t.db.execute<{ name: string }>(sql`select current_database() as name`);
  process.stdout.write(JSON.stringify(rows[0]?.name));
  await t.db.$close(); // the database itself is left for the exit hook
} else if (mode === "exit" || mode === "hang") {
  // A database and its spare, never closed; then process.exit(), or a wait to be killed.
  await createTestDatabase({ migrationsFolder, backend: "postgres", url: connection });
  await postgresSparesCreated();
  process.stdout.write(JSON.stringify({ pid: process.pid }));
  if (mode === "exit") process.exit(0);
  setInterval(() => {}, 1000);
} else if (mode === "pglite-exit") {
  // A twin left open, then process.exit(): prints its socket folder.
  const db = drizzle({ connection });
  await db.execute(sql`select 1`);
  process.stdout.write(
    JSON.stringify((db.$client as unknown as { options: { host: string } }).options.host),
  );
  process.exit(0);
} else if (mode === "pglite-testdb") {
  const seen: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const t = await createTestDatabase({ migrationsFolder, backend: "pglite" });
    const { rows } = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from widgets`);
    seen.push(rows[0]?.n ?? -1);
    await t.db.execute(sql`insert into widgets (id) values (${`w${i}`})`);
    await t.close();
  }
  await pgliteSparesCreated();
  process.stdout.write(JSON.stringify({ seen, spares: pgliteSpareCount() }));
} else {
  const db = drizzle({ connection });
  const { rows } = await db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' order by 1`,
  );
  process.stdout.write(JSON.stringify(rows.map((row) => row.tablename)));
  await db.$close();
}
