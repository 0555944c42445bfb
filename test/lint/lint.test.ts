import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, lintSql, lintSqlDetailed } from "../../src/lint/lint.js";
import { loadParser } from "../../src/sql/parser.js";

beforeAll(async () => {
  await loadParser();
});

const BP = "--> statement-breakpoint";

/** The text at a diagnostic's line and column. */
function at(text: string, d: Diagnostic, length: number): string {
  const line = text.split("\n")[d.line - 1] ?? "";
  return line.slice(d.column - 1, d.column - 1 + length);
}

describe("lintSql positions", () => {
  const file = [
    'CREATE TABLE "users" (',
    '\t"id" serial PRIMARY KEY NOT NULL,',
    '\t"tags" text[]',
    ");",
    BP,
    'CREATE INDEX "users_tags_idx" ON "users" USING btree ("id" DESC);',
    BP,
    "",
    "  TRUNCATE users;",
  ].join("\n");

  it("counts 1-based lines and columns in the whole input", () => {
    const diags = lintSql(file);
    const byRule = new Map(diags.map((d) => [d.rule, d]));
    const serial = byRule.get("no-serial");
    expect(serial).toMatchObject({ line: 2, column: 7 });
    expect(at(file, serial as Diagnostic, 6)).toBe("serial");
    expect(at(file, byRule.get("no-array-column") as Diagnostic, 4)).toBe("text");
    expect(byRule.get("index-async")).toMatchObject({ line: 6, column: 1 });
    expect(at(file, byRule.get("index-no-using") as Diagnostic, 5)).toBe("USING");
    expect(at(file, byRule.get("index-sort-order") as Diagnostic, 4)).toBe("DESC");
    expect(byRule.get("no-truncate")).toMatchObject({
      line: 9,
      column: 3,
      statement: "TRUNCATE users",
    });
  });

  it("points at the operator class and the sort order of each key", () => {
    const text = 'CREATE INDEX ASYNC i ON "s"."t" ("a",  b text_pattern_ops, "C" asc);';
    const diags = lintSql(text);
    expect(diags.map((d) => [d.rule, at(text, d, d.rule === "index-opclass" ? 16 : 3)])).toEqual([
      ["index-opclass", "text_pattern_ops"],
      ["index-sort-order", "asc"],
    ]);
  });

  it("gives each diagnostic its statement's text, severity and SQLSTATE", () => {
    const [serial] = lintSql(file);
    expect(serial?.statement.startsWith('CREATE TABLE "users" (')).toBe(true);
    expect(serial?.statement.endsWith(")")).toBe(true);
    expect(serial).toMatchObject({ rule: "no-serial", severity: "error", sqlstate: "42704" });
  });

  it("sorts diagnostics by position", () => {
    const diags = lintSql(file);
    const keys = diags.map((d) => d.line * 10_000 + d.column);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it("reads CRLF files and files starting with a byte-order mark", () => {
    const crlf = `CREATE TABLE a (id serial);\r\n${BP}\r\nCREATE INDEX i ON a (id);\r\n`;
    expect(lintSql(crlf).map((d) => [d.rule, d.line, d.column, d.statement])).toEqual([
      ["no-serial", 1, 20, "CREATE TABLE a (id serial)"],
      ["index-async", 3, 1, "CREATE INDEX i ON a (id)"],
    ]);
    expect(lintSql("\uFEFFCREATE TABLE a (id serial);").map((d) => [d.rule, d.column])).toEqual([
      ["no-serial", 20],
    ]);
  });

  it("counts the statements it checked", () => {
    expect(lintSqlDetailed(file).statements).toBe(3);
    expect(lintSqlDetailed("").statements).toBe(0);
  });
});

describe("syntax errors", () => {
  it("reports unparsable text at its line instead of throwing", () => {
    const text = `CREATE TABLE a (id uuid PRIMARY KEY);\n${BP}\nCREATE TABLE b (\n  id uuid PRIMARY KEY,\n  oops oops oops\n);`;
    const diags = lintSql(text);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ rule: "syntax", severity: "error", line: 5 });
    expect(diags[0]?.message).toMatch(/syntax error/);
  });

  it("keeps checking the statements around a bad one", () => {
    const diags = lintSql("SELECT 1;\nSELEC 2;\nCREATE INDEX i ON t (a);");
    expect(diags.map((d) => [d.rule, d.line, d.column])).toEqual([
      ["syntax", 2, 1],
      ["index-async", 3, 1],
    ]);
  });

  it("does not split inside quotes, dollar quotes or comments", () => {
    const text = "SELECT 'a;b', $x$ ; $x$, \"c;d\" /* ; */ -- ;\n FROM t;\nSELEC 1;\nTRUNCATE t;";
    expect(lintSql(text).map((d) => [d.rule, d.line])).toEqual([
      ["syntax", 3],
      ["no-truncate", 4],
    ]);
  });

  it("never throws, whatever the input", () => {
    const fragments = fc.constantFrom(
      "CREATE",
      " INDEX",
      " ASYNC",
      " TABLE",
      " t",
      " (",
      ")",
      ";",
      "'",
      '"',
      "$$",
      "--",
      "/*",
      "\n",
      BP,
      " serial",
      " ALTER TABLE",
      " VALIDATE CONSTRAINT c",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string()), { maxLength: 20 }), (parts) => {
        const diags = lintSql(parts.join(""));
        for (const d of diags) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("breakpoints and transactions", () => {
  it("asks for one statement per breakpoint, only in files that use breakpoints", () => {
    const two = "CREATE TABLE a (id uuid PRIMARY KEY);\nCREATE TABLE b (id uuid PRIMARY KEY);";
    expect(lintSql(two)).toEqual([]);
    const diags = lintSql(`${two}\n${BP}\nCREATE TABLE c (id uuid PRIMARY KEY);`);
    expect(diags.map((d) => [d.rule, d.line])).toEqual([["one-statement-per-breakpoint", 2]]);
  });

  it("counts unparsable statements too, but not trailing comments", () => {
    const text = `CREATE TABLE a (id uuid PRIMARY KEY); -- a comment; with a semicolon\n${BP}\nSELEC 1; CREATE TABLE b (id uuid PRIMARY KEY);`;
    expect(lintSql(text).map((d) => [d.rule, d.line, d.column])).toEqual([
      ["syntax", 3, 1],
      ["one-statement-per-breakpoint", 3, 10],
    ]);
  });

  it("reports a second DDL statement inside BEGIN ... COMMIT", () => {
    const text =
      "BEGIN;\nCREATE TABLE a (id uuid PRIMARY KEY);\nCREATE INDEX ASYNC i ON a (id);\nCOMMIT;";
    const diags = lintSql(text);
    expect(diags.map((d) => [d.rule, d.line, d.severity])).toEqual([
      ["one-ddl-per-transaction", 3, "error"],
    ]);
    expect(diags[0]?.sqlstate).toBe("0A000");
  });

  it("reports DDL mixed with DML inside a transaction, once", () => {
    const text =
      "BEGIN;\nINSERT INTO a VALUES (1);\nALTER TABLE a ADD COLUMN b text;\nUPDATE a SET b = 'x';\nCOMMIT;";
    expect(lintSql(text).map((d) => [d.rule, d.line])).toEqual([["no-ddl-with-dml", 3]]);
  });

  it("forgets the transaction at COMMIT and ROLLBACK", () => {
    const text =
      "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); ROLLBACK; BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); COMMIT; INSERT INTO a VALUES (gen_random_uuid());";
    expect(lintSql(text)).toEqual([]);
  });
});

describe("DSQL forms and options", () => {
  it("accepts CREATE INDEX ASYNC and ALTER TABLE ASYNC ... VALIDATE", () => {
    const text = [
      'CREATE UNIQUE INDEX ASYNC "u" ON "t" ("a");',
      'CREATE INDEX ASYNC IF NOT EXISTS "i" ON "t" ("b" NULLS FIRST) INCLUDE ("c");',
      'ALTER TABLE "t" ADD CONSTRAINT "t_a_fk" FOREIGN KEY ("a") REFERENCES "o"("id") NOT VALID;',
      'ALTER TABLE ASYNC "t" VALIDATE CONSTRAINT "t_a_fk";',
    ].join(`\n${BP}\n`);
    expect(lintSql(text)).toEqual([]);
  });

  it("warns about NOT VALID constraints never validated, without failing", () => {
    const diags = lintSql('ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (a > 0) NOT VALID;');
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({
      rule: "unvalidated-constraint",
      severity: "warning",
      fix: "ALTER TABLE ASYNC t VALIDATE CONSTRAINT c",
    });
  });

  it("forbids json columns only when asked", () => {
    const text = "CREATE TABLE s (id uuid PRIMARY KEY, doc jsonb);";
    expect(lintSql(text)).toEqual([]);
    expect(lintSql(text, { json: "forbid" }).map((d) => d.rule)).toEqual(["no-json-column"]);
  });

  it("offers a fix where the rule has one", () => {
    const [d] = lintSql('CREATE INDEX "i" ON "t" ("c");');
    expect(d).toMatchObject({ rule: "index-async", fix: "CREATE INDEX ASYNC i ON t (c)" });
  });
});
