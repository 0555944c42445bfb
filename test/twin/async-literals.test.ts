import { eq, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle, withoutTenant, withTenant } from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const notes = pgTable("notes", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  body: text("body").notNull(),
});

/** Texts that hold DSQL's ASYNC DDL as data: strings, names, comments. */
const payloads = [
  "create index async notes_body on notes (body)",
  "CREATE UNIQUE INDEX ASYNC x ON y (z)",
  "alter table async notes validate constraint c",
  "ALTER\tTABLE\nASYNC t",
];

describe.each(backends)("the twin never rewrites data, on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<{ notes: typeof notes }>>;
  let drop: () => Promise<void>;

  const bodies = async () =>
    (
      await withoutTenant(db).execute<{ body: string }>(sql`select body from notes order by id`)
    ).rows.map((r) => r.body);

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({
      connection: fresh.connection,
      schema: { notes },
      tenant: { column: "tenant_id" },
    });
    await withoutTenant(db).execute(
      sql`create table notes (id integer primary key, tenant_id text not null, body text not null)`,
    );
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("keeps string literals holding ASYNC DDL, unscoped and in a scope", async () => {
    const admin = withoutTenant(db);
    const a = withTenant(db, "A");
    let id = 0;
    for (const text of payloads) {
      const quoted = `'${text.replaceAll("'", "''")}'`;
      await admin.execute(
        sql.raw(`insert into notes (id, tenant_id, body) values (${++id}, 'A', ${quoted})`),
      );
      await a.execute(sql.raw(`insert into notes (id, body) values (${++id}, ${quoted})`));
      await a.execute(sql.raw(`insert into notes (id, body) values (${++id}, E${quoted})`));
      await a.execute(sql.raw(`insert into notes (id, body) values (${++id}, $tag$${text}$tag$)`));
      await a.insert(notes).values({ id: ++id, body: sql.raw(quoted) });
    }
    const expected = payloads.flatMap((text) => [text, text, text, text, text]);
    expect(await bodies()).toEqual(expected);
    const viaScope = await a
      .select({ body: notes.body })
      .from(notes)
      .where(eq(notes.body, sql.raw(`'${payloads[0]}'`)));
    expect(viaScope).toHaveLength(5);
    await admin.execute(sql`delete from notes`);
  });

  it.skipIf(skip)("blanks only the keyword of a real ASYNC statement", async () => {
    // A comment and a predicate that contain the words stay as written: the
    // partial index keeps exactly the rows whose body is the literal.
    const result = await withoutTenant(db).execute<{ job_id: string }>(
      sql.raw(
        "create index async /* create index async */ notes_partial on notes (id) where body <> 'create index async'",
      ),
    );
    expect(result.rows[0]?.job_id).toMatch(/^[a-z0-9]+$/);
    const definition = await withoutTenant(db).execute<{ def: string }>(
      sql`select pg_get_indexdef(indexrelid) as def from pg_index where indexrelid = 'notes_partial'::regclass`,
    );
    expect(definition.rows[0]?.def).toContain("'create index async'::text");
  });

  it.skipIf(skip)("runs a text whose statements include ASYNC DDL, ASYNC blanked", async () => {
    await withoutTenant(db).execute(
      sql.raw("select 'alter table async'; create index async notes_multi on notes (body)"),
    );
    const found = await withoutTenant(db).execute(
      sql`select 1 from pg_class where relname = 'notes_multi'`,
    );
    expect(found.rows).toHaveLength(1);
  });
});
