#!/usr/bin/env bash
# What a new user does, on the packed tarball in an empty project: install it
# next to drizzle-orm 0.45, drizzle-kit 0.31 and pg 8, write a schema that
# imports the column helpers from drizzle-dsql and a drizzle.config.ts with
# env fallbacks, then generate, check, migrate and status through the CLI, on
# PGlite and on a PostgreSQL (DATABASE_URL if set, else a throwaway server).
# Asserts on exit codes, files, output and the databases' catalogs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "check-package: FAIL: $*" >&2; exit 1; }
step() { echo "--- [${SECONDS}s] $*"; }
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# run <expected exit code> <command...>: runs it, keeps stdout+stderr in $out.
run() {
  local want="$1"; shift
  set +e
  out="$("$@" 2>&1)"
  local code=$?
  set -e
  if [ "$code" -ne "$want" ]; then
    printf '%s\n' "$out" >&2
    fail "\`$*\` exited $code, expected $want"
  fi
}
has() { grep -qF -- "$1" <<<"$out" || { printf '%s\n' "$out" >&2; fail "output lacks: $1"; }; }
dsql() { node_modules/.bin/drizzle-dsql "$@"; }
# The database's columns of a table as name:type lines (node script below).
columns() { node catalog.mjs "$1" "$2"; }

step "pack and install into an empty project"
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/app"
cd "$work/app"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "1.0.0", "private": true }
JSON
npm install --no-audit --no-fund --silent "../$tarball" drizzle-orm@0.45 drizzle-kit@0.31 pg@8 >/dev/null

step "library entry points (ESM import, CommonJS require)"
cat > use.mjs <<'JS'
import { drizzle, jsonText, withTenant, DsqlError } from "drizzle-dsql";
import { lintSql, transformSql, rules } from "drizzle-dsql/kit";
import { migrate } from "drizzle-dsql/migrator";
import { sql } from "drizzle-orm";
if (typeof jsonText !== "function" || typeof withTenant !== "function" || typeof migrate !== "function") throw new Error("missing exports");
if (!(rules.length > 10)) throw new Error("rules missing");
const lint = lintSql('CREATE INDEX "i" ON "t" ("c");');
if (!lint.some((d) => d.rule === "index-async")) throw new Error("lint did not flag a plain index");
const out = transformSql('CREATE INDEX "i" ON "t" USING btree ("c");');
if (!/ASYNC/i.test(out.sql)) throw new Error("transform did not add ASYNC");
const db = drizzle({ connection: "pglite://memory" });
const r = await db.execute(sql`select 1 as one`);
if (r.rows[0].one !== 1) throw new Error("query failed");
await db.$close();
console.log("package OK:", new DsqlError("x") instanceof Error);
JS
node use.mjs
run 0 node -e 'const d = require("drizzle-dsql"); for (const n of ["jsonText", "textArray", "drizzle", "DsqlError"]) if (typeof d[n] !== "function") throw new Error(n);'
# A schema file's load (drizzle-kit requires it) must not open the parser or PGlite.
command -v strace >/dev/null || fail "strace is needed to see what require('drizzle-dsql') loads"
strace -f -qq -e trace=openat -o "$work/trace" node -e 'require("drizzle-dsql")'
if grep -E 'node_modules/(@electric-sql/pglite|pgsql-parser|libpg-query)' "$work/trace" >/dev/null; then
  grep -oE 'node_modules/(@electric-sql/pglite|pgsql-parser|libpg-query)[^"]*' "$work/trace" | head -3 >&2
  fail "require('drizzle-dsql') loads the SQL parser or PGlite"
fi

cat > catalog.mjs <<'JS'
// node catalog.mjs <connection> <table>: prints "column:type" lines from information_schema.
import { drizzle } from "drizzle-dsql";
import { sql } from "drizzle-orm";
const [connection, table] = process.argv.slice(2);
const db = drizzle({ connection });
const { rows } = await db.execute(sql`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`);
for (const r of rows) console.log(`${r.column_name}:${r.data_type}`);
await db.$close();
JS

cat > drizzle.config.ts <<'TS'
import { defineConfig } from "drizzle-kit";

// out: "./not-this-one",
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: process.env.MIGRATIONS_OUT ?? "./drizzle",
  dbCredentials: { url: process.env.DATABASE_URL ?? "pglite://./.data" },
});
TS
mkdir src
schema() {
  cat > src/schema.ts <<TS
import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { jsonText, textArray } from "drizzle-dsql";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull(),
  age: $1("age"),
  prefs: jsonText<{ theme: string }>("prefs"),
  tags: textArray("tags"),$2
}, (t) => [index("users_email_idx").on(t.email)]);
TS
}

step "generate and check the first migration"
run 0 dsql --version
has "drizzle-dsql 0.1.0"
schema integer ""
run 0 dsql generate --name init
[ -f drizzle/0000_init.sql ] || fail "generate wrote no drizzle/0000_init.sql"
grep -q 'CREATE TABLE IF NOT EXISTS users' drizzle/0000_init.sql || fail "0000_init.sql not rewritten for DSQL"
grep -q 'CREATE INDEX ASYNC' drizzle/0000_init.sql || fail "0000_init.sql: index not ASYNC"
run 0 dsql check
has "checked"

step "migrate and status on PGlite (the config's fallback url)"
env -u DATABASE_URL node_modules/.bin/drizzle-dsql migrate >"$work/out" 2>&1 || { cat "$work/out"; fail "migrate on PGlite"; }
grep -qF "database from drizzle.config.ts pglite://./.data" "$work/out" || { cat "$work/out"; fail "migrate did not say which database"; }
run 0 env -u DATABASE_URL node_modules/.bin/drizzle-dsql status
has "0 statement(s) pending"
run 0 columns "pglite://./.data" users
has "prefs:text"
has "tags:text"

step "migrate and status on PostgreSQL"
if [ -z "${DATABASE_URL:-}" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [ -x "$pg_bin/postgres" ] || fail "no PostgreSQL binaries in /usr/lib/postgresql and no DATABASE_URL"
  # Its own folder (the server runs as postgres when we are root), like test/support/postgres-server.ts.
  pg_dir="$(mktemp -d)"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir"; fi
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync >/dev/null
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
fi
pg_url="$DATABASE_URL"
run 0 dsql migrate
run 0 dsql status
has "0 statement(s) pending"
run 0 columns "$pg_url" users
has "email:text"

step "a schema change: generate, migrate on both"
schema integer '
  nickname: text("nickname"),'
run 0 dsql generate --name nickname
[ -f drizzle/0001_nickname.sql ] || fail "no drizzle/0001_nickname.sql"
run 0 dsql migrate
run 0 env -u DATABASE_URL node_modules/.bin/drizzle-dsql migrate
for db in "$pg_url" "pglite://./.data"; do
  run 0 columns "$db" users
  has "nickname:text"
done

step "drizzle-dsql/testing from the user's own vitest suite (two files at once, empty cache)"
npm install --no-audit --no-fund --silent vitest@4 >/dev/null
mkdir test
cat > test/per-test.test.ts <<'TS'
import { createTestDatabase, type TestDatabase } from "drizzle-dsql/testing";
import { expect, test as base } from "vitest";
import * as schema from "../src/schema";

const test = base.extend<{ db: TestDatabase<typeof schema>["db"] }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies first
  db: async ({}, use) => {
    const t = await createTestDatabase({ migrationsFolder: "./drizzle", backend: "pglite", schema });
    await use(t.db);
    await t.close();
  },
});
for (const n of [1, 2, 3]) {
  test(`test ${n} sees only its own row`, async ({ db }) => {
    await db.insert(schema.users).values({ email: `u${n}@example.com`, age: n, nickname: "n" });
    const rows = await db.select().from(schema.users);
    expect(rows.map((r) => r.email)).toEqual([`u${n}@example.com`]);
  });
}
TS
cat > test/per-file.test.ts <<'TS'
import { createTestDatabase, type TestDatabase } from "drizzle-dsql/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as schema from "../src/schema";

let t: TestDatabase<typeof schema>;
beforeAll(async () => {
  t = await createTestDatabase({ migrationsFolder: "./drizzle", backend: "postgres", schema });
});
afterAll(() => t.close());
it("starts migrated and empty", async () => {
  expect(await t.db.select().from(schema.users)).toEqual([]);
  const { rows } = await t.db.execute(sql`select current_database() as name`);
  expect(String(rows[0]?.name)).toMatch(/^dsql_test_/);
});
it("keeps what the file's earlier tests wrote", async () => {
  await t.db.insert(schema.users).values({ email: "a@example.com", age: 1, nickname: "a" });
  expect(await t.db.select().from(schema.users)).toHaveLength(1);
});
TS
DRIZZLE_DSQL_CACHE_DIR="$work/testing-cache" run 0 npx vitest run --reporter=dot
has "5 passed"
# The workers' databases (a spare included) go when the workers end, though
# vitest ends them with process.exit(): allow the watcher a few seconds.
run 0 node -e '
const pg = require("pg");
async function left() {
  const c = new pg.Client({ connectionString: process.argv[1] });
  await c.connect();
  const r = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1", ["dsql_test_%"]);
  await c.end();
  return r.rows.map((row) => row.datname);
}
(async () => {
  let names = await left();
  for (let i = 0; i < 100 && names.length > 0; i++) {
    await new Promise((done) => setTimeout(done, 100));
    names = await left();
  }
  console.log("left:", names.length, names.join(" "));
})();
' "$pg_url"
has "left: 0"

step "a refused change leaves nothing behind; reverted, generate is clean"
journal_before="$(cat drizzle/meta/_journal.json)"
schema text '
  nickname: text("nickname"),'
run 1 dsql generate --name retype
has "no-alter-column-type"
has "removed drizzle/0002_retype.sql, drizzle/meta/0002_snapshot.json"
[ ! -e drizzle/0002_retype.sql ] || fail "the refused migration file is still there"
[ ! -e drizzle/meta/0002_snapshot.json ] || fail "the refused snapshot is still there"
[ "$(cat drizzle/meta/_journal.json)" = "$journal_before" ] || fail "the journal kept the refused entry"
schema integer '
  nickname: text("nickname"),'
run 0 dsql generate --name after_revert
has "No schema changes"
[ "$(ls drizzle/*.sql | wc -l)" -eq 2 ] || fail "generate after the revert wrote a migration"
run 0 dsql check

step "a schema that fails to load exits non-zero with its error"
printf '\nthrow new Error("schema is broken");\n' >> src/schema.ts
run 1 dsql generate --name broken
has "schema is broken"
[ "$(cat drizzle/meta/_journal.json)" = "$journal_before" ] || fail "a failed generate changed the journal"

step "a database that refuses connections exits non-zero, naming the cause"
run 1 dsql status --url postgres://postgres@127.0.0.1:1/none
has "ECONNREFUSED"

echo "check-package: OK"
