import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCompatibilityTable, rules } from "../src/rules/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

const tableRows = (text: string) => text.split("\n").filter((line) => line.startsWith("|"));

describe("README", () => {
  it("holds the compatibility table exactly as rendered from the rule list", () => {
    const section = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(section).toBeDefined();
    expect(tableRows(section ?? "")).toEqual(tableRows(renderCompatibilityTable()));
  });

  it("names every rule", () => {
    for (const rule of rules) expect(readme).toContain(`\`${rule.id}\``);
  });

  it("gives the two quick-start commands", () => {
    expect(readme).toContain("npm install && npm run demo");
    expect(readme).toContain("npm test");
  });
});
