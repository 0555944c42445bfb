import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { DatabaseError } from "pg-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapServerError } from "../../src/driver/error-mapping.js";
import { DsqlError, drizzle } from "../../src/index.js";
import { lintSql } from "../../src/lint/lint.js";
import { transformSql } from "../../src/lint/transform.js";
import { rules } from "../../src/rules/index.js";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { corpus } from "../rules/corpus.js";
import { backends, freshConnection } from "../support/databases.js";

beforeAll(async () => {
  await loadParser();
});

// Rules on by default (no-json-column only runs with { json: "forbid" }).
const statementRules = rules.filter(
  (r) => r.scope === "statement" && r.severity === "error" && (!r.enabled || r.enabled({})),
);

/** For each statement rule, a corpus statement that breaks that rule alone. */
function sampleFor(id: string): string | undefined {
  return corpus.find((c) => {
    if (c.options || c.rules.length !== 1 || c.rules[0] !== id) return false;
    try {
      return parseStatements(c.sql).length === 1;
    } catch {
      return false;
    }
  })?.sql;
}

// Rules whose every refusal needs an earlier statement of the same input.
const CONTEXTUAL = new Set(["index-count-limit", "no-drop-primary-key-column"]);

const cases = () =>
  statementRules
    .filter((r) => !CONTEXTUAL.has(r.id))
    .map((rule) => ({ rule, sql: sampleFor(rule.id) }));

describe("one set of rule ids: check, generate, the twin and server errors agree", () => {
  it("has a lone statement in the lint corpus for every statement rule", () => {
    expect(
      cases()
        .filter((c) => !c.sql)
        .map((c) => c.rule.id),
    ).toEqual([]);
  });

  it("check (lintSql) and generate (transformSql) report the rule's id, with its 'instead' on refusals", () => {
    for (const { rule, sql: text } of cases()) {
      if (!text) continue;
      expect(
        lintSql(text).map((d) => d.rule),
        text,
      ).toContain(rule.id);
      const out = transformSql(text);
      const errors = out.diagnostics.filter((d) => d.severity === "error");
      if (errors.length === 0) {
        // generate rewrote it: what it wrote must not break the rule.
        expect(
          lintSql(out.sql).map((d) => d.rule),
          `${rule.id}: ${out.sql}`,
        ).not.toContain(rule.id);
        continue;
      }
      expect(
        errors.map((d) => d.rule),
        text,
      ).toContain(rule.id);
      const refusal = errors.find((d) => d.rule === rule.id);
      expect(refusal?.message, text).toContain(rule.instead);
    }
  });

  it("a server refusal of the statement maps to the rule's id", () => {
    for (const { rule, sql: text } of cases()) {
      if (!text) continue;
      const server = new DatabaseError("refused by the server", 0, "error");
      server.code = rule.sqlstate;
      const mapped = mapServerError(server, text);
      expect(mapped, text).toBeInstanceOf(DsqlError);
      expect((mapped as { rule?: string }).rule, text).toBe(rule.id);
    }
  });
});

describe("one rule per file in src/rules, named by its id", () => {
  const dir = new URL("../../src/rules/", import.meta.url);
  const defining = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f !== "define.ts")
    .map((f) => ({ file: f, text: readFileSync(new URL(f, dir), "utf8") }))
    .filter((f) => f.text.includes("defineRule({"));

  it("each file defining a rule defines exactly one, and its name is the rule's id", () => {
    for (const { file, text } of defining) {
      const ids = [...text.matchAll(/defineRule\(\{\s*id: "([^"]+)"/g)].map((m) => m[1]);
      expect(ids, file).toEqual([file.replace(/\.ts$/, "")]);
    }
  });

  it("the list holds every rule file once, and nothing else", () => {
    const files = defining.map((f) => f.file.replace(/\.ts$/, "")).sort();
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files);
  });
});

describe.each(backends)("the twin on $name reports the same ids", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle> | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({ connection: fresh.connection });
  });
  afterAll(async () => {
    await db?.$close();
    await drop?.();
  });

  it.skipIf(skip)("refuses each sample with the rule's id", async () => {
    for (const { rule, sql: text } of cases()) {
      if (!text || !db) continue;
      const error = await db.execute(sql.raw(text)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, text).toBeInstanceOf(DsqlError);
      expect((error as { rule?: string }).rule, text).toBe(rule.id);
    }
  });
});
