import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCompatibilityTable, rules } from "../../src/rules/index.js";
import { describedTwinChecks } from "../../src/rules/twin-checks.js";

describe("docs/compatibility.md", () => {
  it("equals the table rendered from the rules (regenerate: npx tsx scripts/render-compatibility.ts)", () => {
    const file = readFileSync(new URL("../../docs/compatibility.md", import.meta.url), "utf8");
    expect(file).toBe(renderCompatibilityTable());
  });

  it("describes how the twin checks only rules that exist", () => {
    const ids = new Set(rules.map((rule) => rule.id));
    expect(describedTwinChecks.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("has one row per rule", () => {
    const table = renderCompatibilityTable();
    for (const rule of rules) expect(table).toContain(`| \`${rule.id}\` |`);
  });
});
