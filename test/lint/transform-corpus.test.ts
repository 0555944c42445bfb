import { beforeAll, describe, expect, it } from "vitest";
import { lintSql } from "../../src/lint/lint.js";
import { transformSql } from "../../src/lint/transform.js";
import { loadParser } from "../../src/sql/parser.js";
import { corpus } from "../rules/corpus.js";

beforeAll(async () => {
  await loadParser();
});

/**
 * The rules' own corpus (every DSQL refusal the linter knows, and safe forms):
 * whatever transformSql emits either lints clean or is refused with an error
 * diagnostic, and transforming its output again changes nothing.
 */
describe("transformSql over the lint corpus", () => {
  it.each(corpus.map((c, i) => [i, c.sql.slice(0, 70), c] as const))(
    "case %i: %s",
    (_i, _label, c) => {
      const out = transformSql(c.sql);
      const refused = out.diagnostics.some((d) => d.severity === "error");
      if (!refused) {
        const errors = lintSql(out.sql, c.options).filter((d) => d.severity === "error");
        expect(errors.map((d) => `${d.rule}: ${d.statement}`)).toEqual([]);
      }
      expect(transformSql(out.sql).sql).toBe(out.sql);
    },
  );
});
