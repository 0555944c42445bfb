#!/usr/bin/env bash
# Packs drizzle-dsql, installs the tarball into an empty project, and uses it
# there: the library import, the kit, and the CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
cd "$work"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "1.0.0", "type": "module", "private": true }
JSON
npm install --no-audit --no-fund --silent "./$tarball" drizzle-orm@0.45 pg@8 >/dev/null
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
printf 'CREATE INDEX "i" ON "t" ("c");\n' > bad.sql
set +e
npx --no-install drizzle-dsql check bad.sql
code=$?
set -e
if [ "$code" -ne 1 ]; then echo "drizzle-dsql check exited $code, expected 1"; exit 1; fi
echo "CLI OK"
