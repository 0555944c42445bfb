import { beforeAll, describe, expect, it } from "vitest";
import { lintSql } from "../../src/lint/lint.js";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { corpus } from "./corpus.js";

beforeAll(async () => {
  await loadParser();
});

const ids = (list: { rule: string }[]) => [...new Set(list.map((d) => d.rule))].sort();

describe("lint corpus", () => {
  it.each(corpus.map((c, i) => [i, c.note ?? c.sql.slice(0, 80), c] as const))(
    "#%i %s",
    (_i, _title, c) => {
      expect(ids(lintSql(c.sql, c.options))).toEqual([...c.rules].sort());
    },
  );

  it("holds at least 150 statements", () => {
    let statements = 0;
    for (const c of corpus) {
      for (const part of c.sql.split("--> statement-breakpoint")) {
        try {
          statements += parseStatements(part).length;
        } catch {
          statements += 1;
        }
      }
    }
    expect(statements).toBeGreaterThanOrEqual(150);
  });

  it("has a near-miss that passes for every statement rule", async () => {
    const { rules } = await import("../../src/rules/index.js");
    const near = new Set(corpus.filter((c) => c.rules.length === 0).map((c) => c.nearMiss));
    const missing = rules
      .filter((r) => r.scope === "statement" && !near.has(r.id))
      .map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it("hits every statement rule at least once", async () => {
    const { rules } = await import("../../src/rules/index.js");
    const hit = new Set(corpus.flatMap((c) => c.rules));
    const missing = rules.filter((r) => r.scope === "statement" && !hit.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});
