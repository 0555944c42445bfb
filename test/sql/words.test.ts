import { describe, expect, it } from "vitest";
import { loadParser, parseStatements, withoutAsyncKeywords } from "../../src/sql/parser.js";
import { sqlWords } from "../../src/sql/words.js";

describe("sqlWords", () => {
  it("skips strings, quoted names, comments and dollar quotes", () => {
    const text = `select 'create index' as "alter table", E'it\\'s async' /* create /* nested */ index */ -- alter table
      , $$ create index async $$, $x$ alter table async $x$, U&'async' from t`;
    expect(sqlWords(text).map((w) => w.word)).toEqual(["select", "as", "from", "t"]);
  });

  it("gives each word's offset", () => {
    expect(sqlWords("  CREATE  Index")).toEqual([
      { word: "create", at: 2 },
      { word: "index", at: 10 },
    ]);
  });
});

describe("withoutAsyncKeywords", () => {
  it("blanks only the keyword of real ASYNC DDL, keeping offsets", async () => {
    await loadParser();
    const text =
      "CREATE UNIQUE INDEX ASYNC i ON t (c) WHERE c <> 'create index async'; ALTER TABLE\nASYNC t VALIDATE CONSTRAINT k; SELECT 'alter table async' -- create index async";
    const out = withoutAsyncKeywords(text);
    expect(out).toHaveLength(text.length);
    expect(out).toBe(
      "CREATE UNIQUE INDEX       i ON t (c) WHERE c <> 'create index async'; ALTER TABLE\n      t VALIDATE CONSTRAINT k; SELECT 'alter table async' -- create index async",
    );
    expect(parseStatements(text).map((s) => s.async)).toEqual([true, true, false]);
  });

  it("leaves a statement whose only ASYNC is inside a string alone", async () => {
    await loadParser();
    const text = "INSERT INTO t (v) VALUES ($$CREATE INDEX ASYNC$$), ('alter table async')";
    expect(withoutAsyncKeywords(text)).toBe(text);
    expect(parseStatements(text)[0]?.async).toBe(false);
  });
});
