import { beforeAll, describe, expect, it } from "vitest";
import { lintSql } from "../../src/lint/lint.js";
import {
  checkStatement,
  newRuleContext,
  type RuleContext,
  ruleById,
  rules,
} from "../../src/rules/index.js";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { corpus } from "./corpus.js";

beforeAll(async () => {
  await loadParser();
});

function check(sql: string, ctx: RuleContext = newRuleContext()) {
  return parseStatements(sql).flatMap((stmt) => checkStatement(stmt, ctx));
}

describe("the rule list", () => {
  it("has unique kebab-case ids, a description, advice and a SQLSTATE for every rule", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(5);
      expect(rule.instead.length).toBeGreaterThan(5);
      expect(rule.message.length).toBeGreaterThan(5);
      expect(["0A000", "42704", "54000", "54011"]).toContain(rule.sqlstate);
      expect(rule.limit).toBe(rule.sqlstate.startsWith("54"));
      expect(rule.scope === "statement").toBe(typeof rule.check === "function");
    }
  });

  it("holds the transaction rules the twin looks up by id", () => {
    const expected: [string, string][] = [
      ["one-ddl-per-transaction", "0A000"],
      ["no-ddl-with-dml", "0A000"],
      ["transaction-row-limit", "54000"],
      ["transaction-size-limit", "54000"],
      ["transaction-age-limit", "54000"],
    ];
    for (const [id, sqlstate] of expected) {
      const rule = ruleById(id);
      expect(rule?.scope).toBe("transaction");
      expect(rule?.sqlstate).toBe(sqlstate);
      expect(rule?.check).toBeUndefined();
    }
    expect(ruleById("transaction-row-limit")?.message).toMatch(/transaction row limit exceeded/);
    expect(ruleById("nope")).toBeUndefined();
  });

  it("uses DSQL's SQLSTATEs for serial and index keys", () => {
    expect(ruleById("no-serial")?.sqlstate).toBe("42704");
    expect(ruleById("index-key-limit")?.sqlstate).toBe("54011");
    expect(ruleById("index-async")?.message).toBe(
      "unsupported mode. please use CREATE INDEX ASYNC.",
    );
  });
});

describe("checkStatement", () => {
  it("returns findings with rule, SQLSTATE, limit flag and an offset in the statement text", () => {
    const sql = '  CREATE TABLE "users" ("id" serial PRIMARY KEY, "tags" text[])';
    const [stmt] = parseStatements(sql);
    if (!stmt) throw new Error("no statement");
    const findings = checkStatement(stmt, newRuleContext());
    const serial = findings.find((f) => f.rule === "no-serial");
    expect(serial).toMatchObject({ severity: "error", sqlstate: "42704", limit: false });
    expect(stmt.text.slice(serial?.offset, (serial?.offset ?? 0) + 6)).toBe("serial");
    const array = findings.find((f) => f.rule === "no-array-column");
    expect(stmt.text.slice(array?.offset, (array?.offset ?? 0) + 4)).toBe("text");
  });

  it("flags limits as limits", () => {
    const keys = Array.from({ length: 9 }, (_, i) => `c${i}`).join(", ");
    const [finding] = check(`CREATE INDEX ASYNC i ON t (${keys})`);
    expect(finding).toMatchObject({ rule: "index-key-limit", sqlstate: "54011", limit: true });
  });

  it("keeps the json rule off unless asked", () => {
    const [stmt] = parseStatements("CREATE TABLE s (doc jsonb)");
    if (!stmt) throw new Error("no statement");
    expect(checkStatement(stmt, newRuleContext())).toEqual([]);
    expect(checkStatement(stmt, newRuleContext(), { json: "allow" })).toEqual([]);
    expect(checkStatement(stmt, newRuleContext(), { json: "forbid" }).map((f) => f.rule)).toEqual([
      "no-json-column",
    ]);
  });

  it("counts indexes per table through the context, only for accepted statements", () => {
    const ctx = newRuleContext();
    check('CREATE TABLE "public"."t" (id uuid PRIMARY KEY, a text UNIQUE)', ctx);
    expect(ctx.indexesPerTable.get("t")).toBe(2);
    check("CREATE INDEX ASYNC i1 ON t (a)", ctx);
    check("CREATE INDEX i2 ON t (a)", ctx); // refused: index-async
    expect(ctx.indexesPerTable.get("t")).toBe(3);
    for (let i = 0; i < 21; i++)
      expect(check(`CREATE INDEX ASYNC j${i} ON public.t (a)`, ctx)).toEqual([]);
    expect(ctx.indexesPerTable.get("t")).toBe(24);
    expect(check("CREATE INDEX ASYNC k ON t (a)", ctx).map((f) => f.rule)).toEqual([
      "index-count-limit",
    ]);
    expect(ctx.indexesPerTable.get("t")).toBe(24);
    check("DROP TABLE t", ctx);
    expect(ctx.indexesPerTable.has("t")).toBe(false);
    expect(check("CREATE INDEX ASYNC k ON t (a)", ctx)).toEqual([]);
  });

  it("tracks column types of tables in view", () => {
    const ctx = newRuleContext();
    check('CREATE TABLE "Docs" (id uuid PRIMARY KEY, "Body" jsonb, tags text[])', ctx); // refused
    expect(ctx.tables?.has("docs")).toBe(false);
    check('CREATE TABLE "Docs" (id uuid PRIMARY KEY, "Body" jsonb, n numeric(10, 2))', ctx);
    check("ALTER TABLE other ADD COLUMN nope int", ctx);
    expect(ctx.tables?.get("docs")?.columns).toEqual(
      new Map([
        ["id", "uuid"],
        ["Body", "jsonb"],
        ["n", "numeric"],
      ]),
    );
  });

  it("keeps schema-qualified tables apart", () => {
    const ctx = newRuleContext();
    check("CREATE TABLE app.t (id uuid PRIMARY KEY)", ctx);
    expect(ctx.indexesPerTable.get("app.t")).toBe(1);
    expect(ctx.indexesPerTable.has("t")).toBe(false);
  });

  it("is cheap for plain queries", () => {
    const [stmt] = parseStatements(
      'select "id", "name" from "users" where "users"."tenant_id" = $1 and "users"."id" in (select "user_id" from "members")',
    );
    if (!stmt) throw new Error("no statement");
    const ctx = newRuleContext();
    for (let i = 0; i < 2_000; i++) checkStatement(stmt, ctx); // warm up
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) checkStatement(stmt, ctx);
    const perCall = (performance.now() - started) / 20_000;
    // Typically 1-6 µs; the bound only catches real regressions on a busy machine.
    expect(perCall).toBeLessThan(0.1);
  });
});

describe("fixes", () => {
  it("offers DSQL-safe statements that lint clean of the rule they fix", () => {
    let offered = 0;
    for (const c of corpus) {
      for (const d of lintSql(c.sql, c.options)) {
        if (!d.fix) continue;
        offered++;
        const again = lintSql(d.fix, c.options).map((x) => x.rule);
        expect(again, `${d.fix} (from ${d.rule})`).not.toContain(d.rule);
        expect(again).not.toContain("syntax");
      }
    }
    expect(offered).toBeGreaterThan(5);
  });

  it("rewrites drizzle-kit's index into CREATE INDEX ASYNC", () => {
    const [d] = lintSql('CREATE INDEX "i" ON "t" USING btree ("c" DESC NULLS LAST);');
    expect(d?.fix).toBe("CREATE INDEX ASYNC i ON t (c NULLS LAST)");
  });

  it("adds NOT VALID to a foreign key and ASYNC to VALIDATE", () => {
    const [fk] = lintSql(
      'ALTER TABLE "a" ADD CONSTRAINT "a_b_fk" FOREIGN KEY ("b") REFERENCES "public"."b"("id");',
    );
    expect(fk?.fix).toBe(
      "ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b) REFERENCES public.b (id) NOT VALID",
    );
    const [validate] = lintSql("ALTER TABLE a VALIDATE CONSTRAINT a_b_fk");
    expect(validate?.fix).toBe("ALTER TABLE ASYNC a VALIDATE CONSTRAINT a_b_fk");
  });

  it("offers no B-tree stand-in for gin indexes", () => {
    const [d] = lintSql("CREATE INDEX i ON t USING gin (doc)");
    expect(d?.rule).toBe("index-async");
    expect(d?.fix).toBeUndefined();
  });
});
