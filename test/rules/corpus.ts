import type { LintOptions } from "../../src/lint/lint.js";

/** One lint case: SQL text and the rule ids lintSql must report (empty: clean). */
export interface CorpusCase {
  sql: string;
  rules: string[];
  options?: LintOptions;
  note?: string;
  /**
   * The rule this clean case is a near-miss of: close to what the rule
   * refuses (a name, a string, a comment, an allowed variant), and accepted.
   */
  nearMiss?: string;
}

const BP = "\n--> statement-breakpoint\n";
const many = (n: number, f: (i: number) => string, sep = ", ") =>
  Array.from({ length: n }, (_, i) => f(i)).join(sep);

/** A CREATE TABLE with a primary key, then `n` ASYNC indexes on it. */
const tableWithIndexes = (n: number) =>
  [
    `CREATE TABLE "wide" (${many(26, (i) => `"c${i}" text`)}, "id" uuid PRIMARY KEY);`,
    ...Array.from({ length: n }, (_, i) => `CREATE INDEX ASYNC "wide_${i}" ON "wide" ("c${i}");`),
  ].join(BP);

export const corpus: CorpusCase[] = [
  // ── serial family (42704) ─────────────────────────────────────────────
  {
    sql: 'CREATE TABLE "users" ("id" serial PRIMARY KEY NOT NULL, "name" text NOT NULL);',
    rules: ["no-serial"],
  },
  { sql: "CREATE TABLE t (id bigserial PRIMARY KEY)", rules: ["no-serial"] },
  { sql: "CREATE TABLE t (id smallserial)", rules: ["no-serial"] },
  { sql: "CREATE TABLE t (id serial4, b serial8, c serial2)", rules: ["no-serial"] },
  { sql: "ALTER TABLE t ADD COLUMN n serial", rules: ["no-serial"] },
  {
    sql: 'CREATE TABLE "users" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL, "name" text NOT NULL);',
    rules: [],
  },
  { sql: "CREATE TABLE t (serial text)", rules: [], note: "a column named serial is fine" },
  { sql: "SELECT 'serial'::text AS serial", rules: [] },
  // ── array columns ─────────────────────────────────────────────────────
  {
    sql: 'CREATE TABLE "posts" ("id" uuid PRIMARY KEY, "tags" text[] DEFAULT \'{}\'::text[]);',
    rules: ["no-array-column"],
  },
  { sql: "CREATE TABLE t (a integer[3], b int ARRAY)", rules: ["no-array-column"] },
  { sql: "CREATE TABLE t (a _text)", rules: ["no-array-column"] },
  { sql: "ALTER TABLE t ADD COLUMN tags varchar(20)[]", rules: ["no-array-column"] },
  { sql: "SELECT ARRAY[1,2,3]::int[] AS a, $1::text[] AS b", rules: [] },
  { sql: "SELECT * FROM t WHERE id = ANY($1::uuid[])", rules: [] },
  { sql: "CREATE TABLE t (tags text)", rules: [] },
  // ── json / jsonb (option) ─────────────────────────────────────────────
  { sql: 'CREATE TABLE "settings" ("id" uuid PRIMARY KEY, "prefs" jsonb, "raw" json);', rules: [] },
  {
    sql: 'CREATE TABLE "settings" ("id" uuid PRIMARY KEY, "prefs" jsonb);',
    rules: ["no-json-column"],
    options: { json: "forbid" },
  },
  {
    sql: "ALTER TABLE s ADD COLUMN doc json",
    rules: ["no-json-column"],
    options: { json: "forbid" },
  },
  { sql: "ALTER TABLE s ADD COLUMN doc json", rules: [], options: { json: "allow" } },
  { sql: "SELECT '{\"a\":1}'::jsonb ->> 'a'", rules: [], options: { json: "forbid" } },
  { sql: "CREATE TABLE s (doc text)", rules: [], options: { json: "forbid" } },
  // ── type limits ───────────────────────────────────────────────────────
  { sql: "CREATE TABLE t (a varchar(65536))", rules: ["column-type-limits"] },
  { sql: "CREATE TABLE t (a varchar(65535), b char(4096), c numeric(1000, 2))", rules: [] },
  { sql: "CREATE TABLE t (a character(4097))", rules: ["column-type-limits"] },
  { sql: "CREATE TABLE t (a numeric(1001))", rules: ["column-type-limits"] },
  { sql: "CREATE TABLE t (a decimal(2000, 10))", rules: ["column-type-limits"] },
  {
    sql: 'ALTER TABLE "t" ADD COLUMN "b" character varying(100000)',
    rules: ["column-type-limits"],
  },
  {
    sql: 'CREATE TABLE "t" ("email" varchar(255), "price" numeric(10, 2), "code" char(3))',
    rules: [],
  },
  // ── column types DSQL does not store ──────────────────────────────────
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY, ip inet, price money)",
    rules: ["no-unsupported-column-type"],
  },
  { sql: 'ALTER TABLE t ADD COLUMN "mood" "mood"', rules: ["no-unsupported-column-type"] },
  {
    sql: "CREATE TABLE t (a int2, b int, c bigint, d real, e float8, f numeric(10,2), g decimal, h char(3), i varchar(9), j text, k bool, l bytea, m uuid, n date, o time, p timetz, q timestamp, r timestamptz, s interval, t json, u jsonb, v character varying(4), w double precision)",
    rules: [],
  },
  {
    sql: "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a + 1)",
    rules: ["no-alter-column-type"],
  },
  // ── COLLATE ───────────────────────────────────────────────────────────
  { sql: 'CREATE TABLE t (name text COLLATE "C")', rules: ["no-collate"] },
  { sql: 'ALTER TABLE t ADD COLUMN name text COLLATE "en_US"', rules: ["no-collate"] },
  { sql: 'SELECT name FROM t ORDER BY name COLLATE "C"', rules: [] },
  // ── column count ──────────────────────────────────────────────────────
  { sql: `CREATE TABLE t (${many(256, (i) => `c${i} int`)})`, rules: ["column-count-limit"] },
  { sql: `CREATE TABLE t (${many(255, (i) => `c${i} int`)})`, rules: [] },
  // ── identity and sequences ────────────────────────────────────────────
  {
    sql: 'CREATE TABLE "users" ("id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1), "name" text);',
    rules: ["sequence-bigint"],
    note: "drizzle-kit's integer identity",
  },
  {
    sql: 'CREATE TABLE "users" ("id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1));',
    rules: [],
  },
  {
    sql: "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (CACHE 65536) PRIMARY KEY)",
    rules: [],
  },
  { sql: "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (CACHE 100000))", rules: [] },
  {
    sql: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)",
    rules: ["sequence-cache"],
  },
  {
    sql: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (CACHE 100))",
    rules: ["sequence-cache"],
  },
  {
    sql: "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)",
    rules: ["sequence-cache", "sequence-bigint"],
  },
  {
    sql: "CREATE TABLE t (id smallint GENERATED ALWAYS AS IDENTITY (CACHE 1))",
    rules: ["sequence-bigint"],
  },
  { sql: "CREATE SEQUENCE s", rules: ["sequence-cache"] },
  { sql: "CREATE SEQUENCE s CACHE 1", rules: [] },
  { sql: "CREATE SEQUENCE s AS bigint START 100 CACHE 65536", rules: [] },
  { sql: "CREATE SEQUENCE s CACHE 0", rules: ["sequence-cache"] },
  { sql: "CREATE SEQUENCE s CACHE 65535", rules: ["sequence-cache"] },
  { sql: "CREATE SEQUENCE s AS integer CACHE 1", rules: ["sequence-bigint"] },
  {
    sql: 'CREATE SEQUENCE "public"."order_no" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;',
    rules: [],
  },
  { sql: "ALTER SEQUENCE s CACHE 10", rules: ["sequence-cache"] },
  { sql: "ALTER SEQUENCE s RESTART WITH 5", rules: [] },
  { sql: "ALTER SEQUENCE s AS int", rules: ["sequence-bigint"] },
  {
    sql: "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
    rules: ["sequence-cache"],
  },
  {
    sql: "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 65536)",
    rules: [],
  },
  { sql: "ALTER TABLE t ALTER COLUMN id SET CACHE 20", rules: ["sequence-cache"] },
  { sql: "ALTER TABLE t ALTER COLUMN id SET CACHE 1", rules: [] },
  { sql: "SELECT nextval('s')", rules: [] },
  // ── indexes ───────────────────────────────────────────────────────────
  {
    sql: 'CREATE INDEX "users_email_idx" ON "users" USING btree ("email");',
    rules: ["index-async", "index-no-using"],
  },
  {
    sql: 'CREATE INDEX "i" ON "t" USING btree ("c" DESC NULLS LAST);',
    rules: ["index-async", "index-no-using", "index-sort-order"],
  },
  {
    sql: 'CREATE UNIQUE INDEX "u" ON "t" USING btree ("a","b");',
    rules: ["index-async", "index-no-using"],
  },
  { sql: "CREATE INDEX i ON t (a)", rules: ["index-async"] },
  { sql: "CREATE INDEX ON t (a)", rules: ["index-async"] },
  { sql: "CREATE INDEX CONCURRENTLY i ON t (a)", rules: ["index-async"] },
  { sql: "CREATE INDEX ASYNC CONCURRENTLY i ON t (a)", rules: ["index-async"] },
  { sql: "CREATE INDEX ASYNC i ON t (a)", rules: [] },
  { sql: "create index async i on t (a)", rules: [] },
  { sql: "CREATE UNIQUE INDEX ASYNC IF NOT EXISTS u ON t (a, b)", rules: [] },
  {
    sql: 'CREATE UNIQUE INDEX ASYNC "u" ON "public"."t" ("a" NULLS FIRST) INCLUDE ("b") NULLS NOT DISTINCT WHERE "a" > 0',
    rules: [],
  },
  { sql: "CREATE INDEX ASYNC i ON t (lower(email))", rules: [] },
  { sql: "CREATE INDEX ASYNC i ON t USING btree (a)", rules: ["index-no-using"] },
  { sql: "CREATE INDEX ASYNC i ON s.t USING hash (a)", rules: ["index-no-using"] },
  { sql: 'CREATE INDEX ASYNC i ON "My Table" USING gin (doc)', rules: ["index-no-using"] },
  { sql: "CREATE INDEX ASYNC i ON ONLY t USING gist (a)", rules: ["index-no-using"] },
  { sql: "CREATE INDEX ASYNC i ON t (a ASC)", rules: ["index-sort-order"] },
  { sql: "CREATE INDEX ASYNC i ON t (a DESC, b)", rules: ["index-sort-order"] },
  { sql: "CREATE INDEX ASYNC i ON t (a NULLS LAST, b NULLS FIRST)", rules: [] },
  { sql: "CREATE INDEX ASYNC i ON t (name text_pattern_ops)", rules: ["index-opclass"] },
  { sql: "CREATE INDEX ASYNC i ON t (a) TABLESPACE fast", rules: ["no-tablespace"] },
  { sql: `CREATE INDEX ASYNC i ON t (${many(9, (i) => `c${i}`)})`, rules: ["index-key-limit"] },
  { sql: `CREATE INDEX ASYNC i ON t (${many(8, (i) => `c${i}`)}) INCLUDE (c8, c9)`, rules: [] },
  {
    sql: `CREATE TABLE t (${many(9, (i) => `c${i} int`)}, PRIMARY KEY (${many(9, (i) => `c${i}`)}))`,
    rules: ["index-key-limit"],
  },
  {
    sql: `CREATE TABLE t (${many(9, (i) => `c${i} int`)}, CONSTRAINT t_u UNIQUE (${many(9, (i) => `c${i}`)}))`,
    rules: ["index-key-limit"],
  },
  {
    sql: 'CREATE TABLE "t" ("a" int, "b" int, CONSTRAINT "t_a_b_pk" PRIMARY KEY("a","b"))',
    rules: [],
  },
  { sql: tableWithIndexes(23), rules: [], note: "primary key + 23 indexes = 24" },
  {
    sql: tableWithIndexes(24),
    rules: ["index-count-limit"],
    note: "primary key + 24 indexes = 25",
  },
  {
    sql: `CREATE TABLE "u" ("id" uuid PRIMARY KEY, ${many(24, (i) => `"c${i}" text UNIQUE`)})`,
    rules: ["index-count-limit"],
  },
  {
    sql: many(30, (i) => `CREATE INDEX ASYNC "x${i}" ON "elsewhere" ("c${i}");`, BP),
    rules: [],
    note: "table not in view",
  },
  { sql: "CREATE TABLE d (id uuid PRIMARY KEY, doc jsonb UNIQUE)", rules: ["index-jsonb-key"] },
  { sql: "CREATE TABLE d (doc jsonb, PRIMARY KEY (doc))", rules: ["index-jsonb-key"] },
  { sql: "CREATE TABLE d (id uuid PRIMARY KEY, doc json, body text UNIQUE)", rules: [] },
  {
    sql: `CREATE TABLE d (id uuid PRIMARY KEY, doc jsonb);${BP}CREATE INDEX ASYNC d_doc ON d (doc);`,
    rules: ["index-jsonb-key"],
  },
  {
    sql: `CREATE TABLE d (id uuid PRIMARY KEY, doc jsonb);${BP}CREATE INDEX ASYNC d_doc ON d ((doc->>'kind'));`,
    rules: [],
  },
  {
    sql: `CREATE TABLE d (id uuid PRIMARY KEY);${BP}ALTER TABLE d ADD COLUMN doc jsonb;${BP}CREATE UNIQUE INDEX ASYNC d_doc ON public.d (doc);`,
    rules: ["index-jsonb-key"],
  },
  {
    sql: `CREATE TABLE d (id uuid PRIMARY KEY, doc jsonb);${BP}ALTER TABLE d DROP COLUMN doc;${BP}ALTER TABLE d ADD COLUMN doc text;${BP}CREATE INDEX ASYNC d_doc ON d (doc);`,
    rules: [],
  },
  {
    sql: "CREATE INDEX ASYNC x_doc ON elsewhere (doc)",
    rules: [],
    note: "column type not in view",
  },
  {
    sql: `CREATE TABLE w (${many(250, (i) => `c${i} int`)});${BP}ALTER TABLE w ${many(6, (i) => `ADD COLUMN d${i} int`)};`,
    rules: ["column-count-limit"],
  },
  {
    sql: `CREATE TABLE w (${many(250, (i) => `c${i} int`)});${BP}ALTER TABLE w ${many(5, (i) => `ADD COLUMN d${i} int`)};`,
    rules: [],
  },
  { sql: "DROP INDEX i", rules: [] },
  { sql: 'DROP INDEX IF EXISTS "users_email_idx";', rules: [] },
  // ── ALTER TABLE ───────────────────────────────────────────────────────
  {
    sql: 'ALTER TABLE "users" ADD COLUMN "age" integer DEFAULT 0 NOT NULL;',
    rules: ["add-column-constraint"],
  },
  { sql: 'ALTER TABLE "users" ADD COLUMN "age" integer;', rules: [] },
  { sql: 'ALTER TABLE "users" ADD COLUMN "nick" text NOT NULL;', rules: ["add-column-constraint"] },
  {
    sql: "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()",
    rules: ["add-column-constraint"],
  },
  { sql: "ALTER TABLE users ADD COLUMN email text UNIQUE", rules: ["add-column-constraint"] },
  {
    sql: "ALTER TABLE users ADD COLUMN org_id uuid REFERENCES orgs(id)",
    rules: ["add-column-constraint"],
  },
  {
    sql: "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY (CACHE 1)",
    rules: ["add-column-constraint"],
  },
  { sql: "ALTER TABLE users ADD COLUMN c int CHECK (c > 0)", rules: ["add-column-constraint"] },
  { sql: "ALTER TABLE users ADD COLUMN note text NULL", rules: [] },
  { sql: "ALTER TABLE users ADD COLUMN IF NOT EXISTS note text", rules: [] },
  {
    sql: 'ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE varchar(100);',
    rules: ["no-alter-column-type"],
  },
  {
    sql: "ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint",
    rules: ["no-alter-column-type"],
  },
  { sql: 'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;', rules: ["no-set-not-null"] },
  { sql: 'ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL;', rules: [] },
  { sql: "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'anon'", rules: [] },
  { sql: "ALTER TABLE users ALTER COLUMN name DROP DEFAULT", rules: [] },
  { sql: 'ALTER TABLE "users" DROP COLUMN "age";', rules: [] },
  {
    sql: `CREATE TABLE k (id uuid PRIMARY KEY, a text);${BP}ALTER TABLE k DROP COLUMN id;`,
    rules: ["no-drop-primary-key-column"],
  },
  {
    sql: `CREATE TABLE k (a int, b int, c text, PRIMARY KEY (a, b));${BP}ALTER TABLE "k" DROP COLUMN "b";`,
    rules: ["no-drop-primary-key-column"],
  },
  {
    sql: `CREATE TABLE k (id uuid PRIMARY KEY, a text);${BP}ALTER TABLE k DROP COLUMN a;`,
    rules: [],
  },
  { sql: "ALTER TABLE k DROP COLUMN id", rules: [], note: "table not in view" },
  { sql: 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";', rules: [] },
  { sql: 'ALTER TABLE "users" RENAME TO "people";', rules: [] },
  { sql: 'ALTER TABLE "users" SET SCHEMA "app";', rules: [] },
  { sql: "ALTER TABLE users ADD PRIMARY KEY (id)", rules: ["no-add-unique-constraint"] },
  {
    sql: 'ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE("email");',
    rules: ["no-add-unique-constraint"],
  },
  {
    sql: "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email_idx",
    rules: ["no-add-unique-constraint"],
  },
  { sql: 'CREATE UNIQUE INDEX ASYNC "users_email_unique" ON "users" ("email");', rules: [] },
  {
    sql: 'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;',
    rules: ["constraint-not-valid"],
  },
  {
    sql: 'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade NOT VALID;',
    rules: ["unvalidated-constraint"],
    note: "accepted, but a warning: never validated in this file",
  },
  {
    sql: 'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("t"."a" > 0);',
    rules: ["constraint-not-valid"],
  },
  {
    sql: 'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("t"."a" > 0) NOT VALID;',
    rules: ["unvalidated-constraint"],
  },
  {
    sql: 'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("t"."a" > 0) NOT VALID;\nALTER TABLE ASYNC "t" VALIDATE CONSTRAINT "c";',
    rules: [],
  },
  {
    sql: 'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (a > 0) NOT VALID; ALTER TABLE ASYNC "other" VALIDATE CONSTRAINT "c";',
    rules: ["unvalidated-constraint"],
  },
  { sql: "ALTER TABLE t ADD CHECK (a IS NOT NULL)", rules: ["constraint-not-valid"] },
  {
    sql: 'ALTER TABLE "users" DROP CONSTRAINT "users_email_unique";',
    rules: ["no-drop-constraint"],
  },
  { sql: "ALTER TABLE users DROP CONSTRAINT IF EXISTS c CASCADE", rules: ["no-drop-constraint"] },
  { sql: "ALTER TABLE posts VALIDATE CONSTRAINT posts_author_fk", rules: ["validate-async"] },
  { sql: "ALTER TABLE ASYNC posts VALIDATE CONSTRAINT posts_author_fk", rules: [] },
  { sql: 'alter table async "posts" validate constraint "posts_author_fk";', rules: [] },
  { sql: "ALTER TABLE ASYNC posts ADD COLUMN x text", rules: ["validate-async"] },
  {
    sql: "ALTER TABLE t ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)",
    rules: ["no-exclusion-constraint"],
  },
  {
    sql: "CREATE TABLE r (room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&))",
    rules: ["no-unsupported-column-type", "no-exclusion-constraint"],
  },
  { sql: 'ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;', rules: ["no-row-level-security"] },
  { sql: "ALTER TABLE users FORCE ROW LEVEL SECURITY", rules: ["no-row-level-security"] },
  {
    sql: 'CREATE POLICY "own_rows" ON "users" AS PERMISSIVE FOR SELECT TO public USING (true);',
    rules: ["no-row-level-security"],
  },
  {
    sql: "ALTER POLICY p ON users USING (tenant_id = current_user)",
    rules: ["no-row-level-security"],
  },
  { sql: "ALTER TABLE t SET TABLESPACE slow", rules: ["no-tablespace"] },
  { sql: "ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)", rules: ["no-partition"] },
  { sql: "ALTER TABLE p DETACH PARTITION c", rules: ["no-partition"] },
  { sql: "ALTER TABLE c INHERIT p", rules: ["no-inherits"] },
  // ── CREATE TABLE shapes ───────────────────────────────────────────────
  {
    sql: 'CREATE TABLE "posts" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL, "author_id" uuid NOT NULL REFERENCES "users"("id"), "title" text NOT NULL, "created_at" timestamp DEFAULT now() NOT NULL, CONSTRAINT "posts_title_unique" UNIQUE("title"), CONSTRAINT "title_len" CHECK (length("title") < 200));',
    rules: [],
  },
  {
    sql: 'CREATE TABLE IF NOT EXISTS "app"."t" ("id" uuid PRIMARY KEY, "v" bytea, "d" date, "ts" timestamptz, "i" interval, "b" boolean, "r" real, "f" double precision)',
    rules: [],
  },
  { sql: "CREATE TEMP TABLE scratch (a int)", rules: ["no-temp-table"] },
  {
    sql: "CREATE TEMPORARY TABLE scratch (a int) ON COMMIT DROP",
    rules: ["no-temp-table", "no-on-commit"],
  },
  { sql: "CREATE UNLOGGED TABLE u (a int)", rules: [] },
  { sql: "CREATE TABLE m (a int, ts date) PARTITION BY RANGE (ts)", rules: ["no-partition"] },
  {
    sql: "CREATE TABLE m_2026 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
    rules: ["no-partition"],
  },
  { sql: "CREATE TABLE c (extra int) INHERITS (p)", rules: ["no-inherits"] },
  { sql: "CREATE TABLE t (a int) TABLESPACE fast", rules: ["no-tablespace"] },
  { sql: "CREATE TABLESPACE fast LOCATION '/ssd'", rules: ["no-tablespace"] },
  { sql: "CREATE TABLE copy AS SELECT * FROM t", rules: ["no-create-table-as"] },
  {
    sql: "CREATE TEMP TABLE copy AS SELECT * FROM t",
    rules: ["no-create-table-as", "no-temp-table"],
  },
  { sql: "SELECT * INTO copy FROM t", rules: ["no-select-into"] },
  { sql: "CREATE TABLE t (LIKE other)", rules: [] },
  { sql: 'DROP TABLE "users" CASCADE;', rules: [] },
  { sql: 'CREATE SCHEMA "app";', rules: [] },
  { sql: "CREATE SCHEMA IF NOT EXISTS drizzle", rules: [] },
  // ── unsupported objects ───────────────────────────────────────────────
  { sql: "CREATE TYPE \"public\".\"status\" AS ENUM('a', 'b');", rules: ["no-create-type"] },
  { sql: 'ALTER TYPE "public"."status" ADD VALUE \'c\';', rules: ["no-create-type"] },
  { sql: "CREATE TYPE pair AS (a int, b int)", rules: ["no-create-type"] },
  { sql: "CREATE TYPE span AS RANGE (subtype = int4)", rules: ["no-create-type"] },
  { sql: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')", rules: ["no-create-type"] },
  { sql: "CREATE AGGREGATE my_sum (int) (sfunc = int4pl, stype = int)", rules: [] },
  { sql: "TRUNCATE TABLE users", rules: ["no-truncate"] },
  { sql: 'TRUNCATE "a", "b" RESTART IDENTITY CASCADE;', rules: ["no-truncate"] },
  { sql: "DELETE FROM users WHERE id IN (SELECT id FROM users LIMIT 3000)", rules: [] },
  {
    sql: "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f()",
    rules: ["no-trigger"],
  },
  {
    sql: "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()",
    rules: ["no-trigger"],
  },
  { sql: 'CREATE EXTENSION IF NOT EXISTS "pgcrypto";', rules: ["no-extension"] },
  { sql: "ALTER EXTENSION pgcrypto UPDATE", rules: ["no-extension"] },
  {
    sql: "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
    rules: ["sql-functions-only"],
  },
  {
    sql: "CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $body$ BEGIN RETURN NEW; END; $body$ LANGUAGE plpgsql",
    rules: ["sql-functions-only"],
  },
  {
    sql: "CREATE FUNCTION f(x int) RETURNS int LANGUAGE plv8 AS 'return x'",
    rules: ["sql-functions-only"],
  },
  {
    sql: "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b'",
    rules: [],
  },
  { sql: "CREATE FUNCTION one() RETURNS int RETURN 1", rules: [] },
  { sql: "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", rules: ["no-procedure"] },
  {
    sql: "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$",
    rules: ["no-procedure"],
  },
  { sql: "DO $$ BEGIN RAISE NOTICE 'hi'; END $$", rules: ["sql-functions-only"] },
  { sql: "CALL sys.wait_for_job('abc')", rules: [] },
  {
    sql: 'CREATE VIEW "public"."active_users" AS (select "id", "name" from "users" where "users"."active" = true);',
    rules: [],
  },
  { sql: "CREATE OR REPLACE VIEW v AS SELECT 1 AS a", rules: [] },
  { sql: "CREATE TEMP VIEW v AS SELECT 1", rules: ["no-temp-view"] },
  {
    sql: 'CREATE MATERIALIZED VIEW "public"."stats" AS (select count(*) from "users");',
    rules: ["no-materialized-view"],
  },
  { sql: "REFRESH MATERIALIZED VIEW stats", rules: ["no-materialized-view"] },
  { sql: "VACUUM users", rules: ["no-vacuum"] },
  { sql: "VACUUM FULL ANALYZE", rules: ["no-vacuum"] },
  { sql: "ANALYZE users", rules: [] },
  { sql: "CREATE DATABASE app", rules: ["no-create-database"] },
  // ── transactions, locks, notifications ────────────────────────────────
  { sql: "SAVEPOINT sp1", rules: ["no-savepoint"] },
  { sql: "RELEASE SAVEPOINT sp1", rules: ["no-savepoint"] },
  { sql: "ROLLBACK TO SAVEPOINT sp1", rules: ["no-savepoint"] },
  {
    sql: "BEGIN; INSERT INTO t VALUES (1); SAVEPOINT a; ROLLBACK TO a; COMMIT;",
    rules: ["no-savepoint"],
  },
  { sql: "BEGIN ISOLATION LEVEL SERIALIZABLE", rules: ["isolation-level"] },
  { sql: "begin isolation level read committed", rules: ["isolation-level"] },
  {
    sql: "START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ ONLY",
    rules: ["isolation-level"],
  },
  { sql: "BEGIN ISOLATION LEVEL REPEATABLE READ", rules: [] },
  { sql: "BEGIN READ ONLY", rules: [] },
  { sql: "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", rules: ["isolation-level"] },
  { sql: "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", rules: [] },
  {
    sql: "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
    rules: ["isolation-level"],
  },
  { sql: "SET default_transaction_isolation = 'serializable'", rules: ["isolation-level"] },
  { sql: "SET default_transaction_isolation TO 'repeatable read'", rules: [] },
  { sql: "SET search_path TO app, public", rules: [] },
  { sql: "LOCK TABLE users IN ACCESS EXCLUSIVE MODE", rules: ["no-lock-table"] },
  { sql: "SELECT pg_advisory_lock(42)", rules: ["no-advisory-lock"] },
  { sql: "SELECT pg_try_advisory_xact_lock(hashtext('job'))", rules: ["no-advisory-lock"] },
  { sql: "SELECT pg_catalog.pg_advisory_unlock_all()", rules: ["no-advisory-lock"] },
  {
    sql: "WITH l AS (SELECT pg_advisory_xact_lock_shared(1) AS ok) UPDATE t SET a = 1 WHERE EXISTS (SELECT 1 FROM l)",
    rules: ["no-advisory-lock"],
  },
  {
    sql: "INSERT INTO log (locked) VALUES (pg_try_advisory_lock($1))",
    rules: ["no-advisory-lock"],
  },
  { sql: "SELECT 'pg_advisory_lock(1)' AS text_only, advisory FROM notes", rules: [] },
  { sql: "LISTEN jobs", rules: ["no-listen-notify"] },
  { sql: "NOTIFY jobs, 'hello'", rules: ["no-listen-notify"] },
  { sql: "UNLISTEN *", rules: ["no-listen-notify"] },
  { sql: "SELECT pg_notify('jobs', 'x')", rules: ["no-listen-notify"] },
  // ── DML and queries stay clean ────────────────────────────────────────
  { sql: 'select "id", "name" from "users" where "users"."id" = $1', rules: [] },
  { sql: 'insert into "users" ("id", "name") values (default, $1) returning "id"', rules: [] },
  { sql: 'update "users" set "name" = $1 where "users"."id" = $2', rules: [] },
  { sql: 'delete from "users" where "users"."id" = $1', rules: [] },
  { sql: "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = excluded.b", rules: [] },
  { sql: "SELECT * FROM t FOR UPDATE", rules: [] },
  { sql: "WITH x AS (SELECT 1) SELECT * FROM x UNION ALL SELECT 2", rules: [] },
  { sql: "SELECT job_id, status FROM sys.jobs", rules: [] },
  { sql: "EXPLAIN SELECT * FROM users", rules: [] },
  // ── transaction shapes visible in text ────────────────────────────────
  {
    sql: "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); CREATE TABLE b (id uuid PRIMARY KEY); COMMIT;",
    rules: ["one-ddl-per-transaction"],
  },
  {
    sql: "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); INSERT INTO a VALUES (gen_random_uuid()); COMMIT;",
    rules: ["no-ddl-with-dml"],
  },
  { sql: "BEGIN; INSERT INTO a VALUES (1); UPDATE a SET id = 2; COMMIT;", rules: [] },
  {
    sql: "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); COMMIT; BEGIN; CREATE TABLE b (id uuid PRIMARY KEY); COMMIT;",
    rules: [],
  },
  {
    sql: "CREATE TABLE a (id uuid PRIMARY KEY); CREATE TABLE b (id uuid PRIMARY KEY);",
    rules: [],
    note: "no BEGIN: each runs alone",
  },
  {
    sql: "START TRANSACTION; ALTER TABLE a ADD COLUMN x text; DELETE FROM a; CREATE INDEX ASYNC i ON a (x); END;",
    rules: ["no-ddl-with-dml", "one-ddl-per-transaction"],
  },
  // ── drizzle-kit files with breakpoints ────────────────────────────────
  {
    sql: [
      'CREATE TABLE "users" (\n\t"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,\n\t"email" varchar(255) NOT NULL,\n\tCONSTRAINT "users_email_unique" UNIQUE("email")\n);',
      'CREATE TABLE "posts" (\n\t"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,\n\t"author_id" uuid NOT NULL\n);',
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action NOT VALID;',
      'ALTER TABLE ASYNC "posts" VALIDATE CONSTRAINT "posts_author_id_users_id_fk";',
      'CREATE INDEX ASYNC "posts_author_idx" ON "posts" ("author_id");',
    ].join(BP),
    rules: [],
    note: "a DSQL-safe migration",
  },
  {
    sql: [
      "CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'member');",
      'CREATE TABLE "members" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"role" "role" DEFAULT \'member\' NOT NULL,\n\t"tags" text[]\n);',
      'CREATE INDEX "members_role_idx" ON "members" USING btree ("role");',
    ].join(BP),
    rules: [
      "no-create-type",
      "no-serial",
      "no-unsupported-column-type",
      "no-array-column",
      "index-async",
      "index-no-using",
    ],
    note: "drizzle-kit's plain output",
  },
  {
    sql: `CREATE TABLE a (id uuid PRIMARY KEY);${BP}CREATE TABLE b (id uuid PRIMARY KEY); CREATE TABLE c (id uuid PRIMARY KEY);`,
    rules: ["one-statement-per-breakpoint"],
  },
  {
    sql: `CREATE TABLE a (id uuid PRIMARY KEY);${BP}SELEC 1;${BP}CREATE INDEX i ON a (id);`,
    rules: ["syntax", "index-async"],
  },
  { sql: "CREATE TABLE (", rules: ["syntax"] },
  { sql: "SELECT 1; SELEC 2; TRUNCATE t;", rules: ["syntax", "no-truncate"] },
  { sql: "", rules: [] },
  { sql: "-- only a comment\n", rules: [] },
  // ── statements AWS's dsql-lint knows (DSQL's documented behaviour) ────
  { sql: "PREPARE q (int) AS SELECT $1", rules: ["no-sql-prepare"] },
  { sql: "EXECUTE q (1)", rules: ["no-sql-prepare"] },
  { sql: "DEALLOCATE q", rules: ["no-sql-prepare"] },
  { sql: "DEALLOCATE ALL", rules: ["no-sql-prepare"] },
  { sql: "DISCARD ALL", rules: ["no-discard"] },
  { sql: "DISCARD PLANS", rules: ["no-discard"] },
  { sql: "DECLARE c CURSOR FOR SELECT * FROM t", rules: ["no-cursor"] },
  { sql: "FETCH 10 FROM c", rules: ["no-cursor"] },
  { sql: "CLOSE c", rules: ["no-cursor"] },
  { sql: "LOAD 'auto_explain'", rules: ["no-load"] },
  { sql: "ALTER INDEX i RENAME TO j", rules: ["no-alter-index"] },
  { sql: "ALTER INDEX i SET (fillfactor = 70)", rules: ["no-alter-index"] },
  { sql: "ALTER INDEX i RESET (fillfactor)", rules: ["no-alter-index"] },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY) WITH (fillfactor = 70)",
    rules: ["no-storage-parameters"],
  },
  { sql: "CREATE INDEX ASYNC i ON t (c) WITH (fillfactor = 70)", rules: ["no-storage-parameters"] },
  { sql: "ALTER TABLE t SET (autovacuum_enabled = false)", rules: ["no-storage-parameters"] },
  { sql: "ALTER TABLE t RESET (fillfactor)", rules: ["no-storage-parameters"] },
  { sql: "CREATE TEMP TABLE t (id int) ON COMMIT DROP", rules: ["no-temp-table", "no-on-commit"] },
  { sql: "CREATE TABLE t (id int) ON COMMIT PRESERVE ROWS", rules: ["no-on-commit"] },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY, body text COMPRESSION pglz)",
    rules: ["no-compression"],
  },
  { sql: "ALTER TABLE t ALTER COLUMN body SET COMPRESSION lz4", rules: ["no-compression"] },
  { sql: "ALTER TABLE t REPLICA IDENTITY FULL", rules: ["no-replica-identity"] },
  { sql: "COPY t FROM '/tmp/data.csv' WITH (FORMAT csv)", rules: ["no-copy-file"] },
  { sql: "COPY t TO '/tmp/out.csv'", rules: ["no-copy-file"] },
  { sql: "COPY t FROM PROGRAM 'cat /etc/passwd'", rules: ["no-copy-file"] },
  { sql: "CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw", rules: ["no-foreign-data"] },
  { sql: "CREATE FOREIGN TABLE ft (id int) SERVER s", rules: ["no-foreign-data"] },
  { sql: "IMPORT FOREIGN SCHEMA public FROM SERVER s INTO local", rules: ["no-foreign-data"] },
  { sql: "CREATE USER MAPPING FOR app SERVER s", rules: ["no-foreign-data"] },
  { sql: "ALTER ROLE app WITH PASSWORD 'x'", rules: ["no-alter-role-properties"] },
  { sql: "ALTER USER app CONNECTION LIMIT 5", rules: ["no-alter-role-properties"] },
  { sql: "ALTER ROLE app SET search_path = app", rules: ["no-alter-role-properties"] },
  { sql: "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING", rules: ["no-rule"] },
  {
    sql: "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
    rules: ["sequence-cache"],
    note: "dsql-lint's identity case: ADD GENERATED without CACHE",
  },
  {
    sql: "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (CACHE 65536)",
    rules: [],
    nearMiss: "sequence-cache",
  },
  // ── near-misses: one per rule, close to what it refuses, and accepted ─
  { sql: "ALTER TABLE t ADD COLUMN note text", rules: [], nearMiss: "add-column-constraint" },
  {
    sql: "ALTER TABLE t ALTER COLUMN kind SET DEFAULT 'type'",
    rules: [],
    nearMiss: "no-alter-column-type",
  },
  { sql: "ALTER TABLE t ALTER COLUMN c DROP NOT NULL", rules: [], nearMiss: "no-set-not-null" },
  { sql: "ALTER TABLE t DROP COLUMN note", rules: [], nearMiss: "no-drop-primary-key-column" },
  {
    sql: "CREATE UNIQUE INDEX ASYNC t_email_key ON t (email)",
    rules: [],
    nearMiss: "no-add-unique-constraint",
  },
  {
    sql: `ALTER TABLE t ADD CONSTRAINT t_n CHECK (n > 0) NOT VALID;${BP}ALTER TABLE ASYNC t VALIDATE CONSTRAINT t_n;`,
    rules: [],
    nearMiss: "constraint-not-valid",
  },
  {
    sql: "ALTER TABLE t RENAME CONSTRAINT drop_me TO kept",
    rules: [],
    nearMiss: "no-drop-constraint",
  },
  { sql: "ALTER TABLE ASYNC t VALIDATE CONSTRAINT t_n", rules: [], nearMiss: "validate-async" },
  { sql: "SELECT $1::text[] AS tags", rules: [], nearMiss: "no-array-column" },
  { sql: "CREATE TABLE s (id uuid PRIMARY KEY, doc jsonb)", rules: [], nearMiss: "no-json-column" },
  {
    sql: "CREATE TABLE t (a varchar(65535), b char(4096), n numeric(1000, 2))",
    rules: [],
    nearMiss: "column-type-limits",
  },
  { sql: "CREATE TABLE t (collate_name text)", rules: [], nearMiss: "no-collate" },
  { sql: "CREATE TABLE t (inet_address text)", rules: [], nearMiss: "no-unsupported-column-type" },
  { sql: "CREATE INDEX ASYNC i ON t (c)", rules: [], nearMiss: "index-async" },
  { sql: "CREATE INDEX ASYNC i_using ON t (method)", rules: [], nearMiss: "index-no-using" },
  { sql: "CREATE INDEX ASYNC i ON t (c NULLS FIRST)", rules: [], nearMiss: "index-sort-order" },
  { sql: "CREATE INDEX ASYNC i ON t (c) INCLUDE (d)", rules: [], nearMiss: "index-opclass" },
  {
    sql: `CREATE TABLE j (id uuid PRIMARY KEY, doc jsonb, k text);${BP}CREATE INDEX ASYNC j_k ON j (k) INCLUDE (doc);`,
    rules: [],
    nearMiss: "index-jsonb-key",
  },
  {
    sql: "CREATE INDEX ASYNC i ON t (a, b, c, d, e, f, g, h)",
    rules: [],
    nearMiss: "index-key-limit",
  },
  { sql: tableWithIndexes(23), rules: [], nearMiss: "index-count-limit" },
  { sql: "SELECT * FROM lock_table WHERE locked", rules: [], nearMiss: "no-lock-table" },
  { sql: "SELECT 'pg_advisory_lock(1)' AS advice", rules: [], nearMiss: "no-advisory-lock" },
  { sql: "SELECT * FROM notify_queue -- LISTEN jobs", rules: [], nearMiss: "no-listen-notify" },
  {
    sql: "INSERT INTO audit (msg) VALUES ('TRUNCATE TABLE users')",
    rules: [],
    nearMiss: "no-truncate",
  },
  {
    sql: "CREATE TABLE trigger_log (id uuid PRIMARY KEY, trigger_name text)",
    rules: [],
    nearMiss: "no-trigger",
  },
  {
    sql: "SELECT gen_random_uuid() /* CREATE EXTENSION pgcrypto */",
    rules: [],
    nearMiss: "no-extension",
  },
  {
    sql: "CREATE TABLE t (kind text CHECK (kind IN ('a', 'b')))",
    rules: [],
    nearMiss: "no-create-type",
  },
  { sql: "CALL sys.wait_for_job('job')", rules: [], nearMiss: "no-procedure" },
  {
    sql: "CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$",
    rules: [],
    nearMiss: "sql-functions-only",
  },
  { sql: "CREATE VIEW v AS SELECT 1 AS materialized", rules: [], nearMiss: "no-materialized-view" },
  { sql: "CREATE VIEW temp_v AS SELECT 1 AS temp", rules: [], nearMiss: "no-temp-view" },
  { sql: "SELECT 'VACUUM FULL' AS cmd", rules: [], nearMiss: "no-vacuum" },
  { sql: "CREATE SCHEMA app", rules: [], nearMiss: "no-create-database" },
  { sql: "GRANT SELECT ON t TO app", rules: [], nearMiss: "no-row-level-security" },
  { sql: "CREATE SEQUENCE s AS bigint CACHE 65536", rules: [], nearMiss: "sequence-bigint" },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY, serial_number text, serial text)",
    rules: [],
    nearMiss: "no-serial",
  },
  { sql: "COPY t (a, b) FROM STDIN", rules: [], nearMiss: "no-copy-file" },
  {
    sql: "CREATE TABLE foreign_orders (id uuid PRIMARY KEY, server text)",
    rules: [],
    nearMiss: "no-foreign-data",
  },
  { sql: "CREATE ROLE app WITH LOGIN", rules: [], nearMiss: "no-alter-role-properties" },
  { sql: "CREATE TABLE rules (id uuid PRIMARY KEY, rule text)", rules: [], nearMiss: "no-rule" },
  {
    sql: "SELECT * FROM t WHERE id = $1 -- PREPARE q AS SELECT 1",
    rules: [],
    nearMiss: "no-sql-prepare",
  },
  { sql: "SELECT 'DISCARD ALL' AS discard", rules: [], nearMiss: "no-discard" },
  {
    sql: "SELECT * FROM t WHERE id > $1 ORDER BY id LIMIT 100",
    rules: [],
    nearMiss: "no-cursor",
  },
  { sql: "SELECT load FROM t", rules: [], nearMiss: "no-load" },
  { sql: "DROP INDEX i", rules: [], nearMiss: "no-alter-index" },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY) -- WITH (fillfactor = 70)",
    rules: [],
    nearMiss: "no-storage-parameters",
  },
  { sql: "CREATE TABLE on_commit (id uuid PRIMARY KEY)", rules: [], nearMiss: "no-on-commit" },
  { sql: "CREATE TABLE t (compression text)", rules: [], nearMiss: "no-compression" },
  { sql: "ALTER TABLE t RENAME TO replica_identity", rules: [], nearMiss: "no-replica-identity" },
  { sql: "CREATE TABLE temp (id uuid PRIMARY KEY)", rules: [], nearMiss: "no-temp-table" },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY, partition_key text)",
    rules: [],
    nearMiss: "no-partition",
  },
  { sql: "CREATE TABLE inherits (id uuid PRIMARY KEY)", rules: [], nearMiss: "no-inherits" },
  { sql: "INSERT INTO t SELECT * FROM s", rules: [], nearMiss: "no-create-table-as" },
  { sql: "SELECT 'into' AS x FROM t", rules: [], nearMiss: "no-select-into" },
  { sql: "CREATE TABLE t (tablespace text)", rules: [], nearMiss: "no-tablespace" },
  {
    sql: `CREATE TABLE w (${many(255, (i) => `c${i} text`)})`,
    rules: [],
    nearMiss: "column-count-limit",
  },
  {
    sql: "CREATE TABLE t (id uuid PRIMARY KEY, a int, CHECK (a > 0))",
    rules: [],
    nearMiss: "no-exclusion-constraint",
  },
  { sql: "SELECT 'savepoint' AS savepoint", rules: [], nearMiss: "no-savepoint" },
  { sql: "BEGIN ISOLATION LEVEL REPEATABLE READ", rules: [], nearMiss: "isolation-level" },
  {
    sql: "INSERT INTO t (v) VALUES ('create index async i on t (c)')",
    rules: [],
    note: "a string holding DSQL's ASYNC DDL is data",
  },
];
