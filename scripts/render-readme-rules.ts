// Rewrites the README's DSQL compatibility table from the rule list:
//   npx tsx scripts/render-readme-rules.ts
import { readFileSync, writeFileSync } from "node:fs";
import { renderCompatibilityTable } from "../src/rules/index.js";

const path = new URL("../README.md", import.meta.url);
const table = renderCompatibilityTable()
  .split("\n")
  .filter((line) => line.startsWith("|"))
  .join("\n");
const readme = readFileSync(path, "utf8");
const next = readme.replace(
  /<!-- rules:start -->\n[\s\S]*?\n<!-- rules:end -->/,
  `<!-- rules:start -->\n${table}\n<!-- rules:end -->`,
);
writeFileSync(path, next);
console.log(next === readme ? "README table already current" : "README table updated");
