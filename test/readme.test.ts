import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedTables, splicedLines, withRulesBlock } from "../scripts/readme-rules.js";
import { rules } from "../src/rules/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("README", () => {
  it("holds the compatibility tables exactly as rendered from the rule list", () => {
    expect(readme).toBe(withRulesBlock(readme));
  });

  it("holds each generated table exactly once, between its markers", () => {
    const start = readme.indexOf("<!-- rules:start -->");
    const end = readme.indexOf("<!-- rules:end -->");
    for (const table of generatedTables()) {
      const text = `\n${table.join("\n")}\n`;
      expect(occurrences(readme, table[0] ?? "?"), table[0]).toBe(1);
      const at = readme.indexOf(text);
      expect(at > start && at < end, table[0]).toBe(true);
    }
    expect(splicedLines(readme)).toEqual([]);
  });

  it("finds a table spliced into a sentence, stale or current", () => {
    const [rulesTable = []] = generatedTables();
    const current = readme.replace("REPEATABLE READ,", `REPEA${rulesTable.join("\n")}TABLE READ,`);
    expect(current).not.toBe(readme);
    expect(splicedLines(current)).toEqual([
      expect.stringMatching(/^README\.md:\d+: generated table line "\| Rule \|/),
      ...rulesTable.slice(2).map(() => expect.stringMatching(/generated table line "\| `/)),
    ]);
    const stale = readme.replace(
      "## JSON and arrays as TEXT",
      `${rulesTable.slice(0, 4).join("\n")}\n\n## JSON and arrays as TEXT`,
    );
    expect(splicedLines(stale)).toHaveLength(3);
  });

  it("names every rule", () => {
    for (const rule of rules) expect(readme).toContain(`\`${rule.id}\``);
  });

  it("gives the two quick-start commands", () => {
    expect(readme).toContain("npm install && npm run demo");
    expect(readme).toContain("npm test");
  });
});
