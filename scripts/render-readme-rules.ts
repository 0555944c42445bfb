// Rewrites the README's DSQL compatibility tables from the rule list:
//   npx tsx scripts/render-readme-rules.ts
// Refuses (exit 1) when a generated table sits anywhere but between its markers.
import { readFileSync, writeFileSync } from "node:fs";
import { splicedLines, withRulesBlock } from "./readme-rules.js";

const path = new URL("../README.md", import.meta.url);
const readme = readFileSync(path, "utf8");
const next = withRulesBlock(readme);
const spliced = splicedLines(next);
if (spliced.length > 0) {
  console.error(`README not written; remove these first:\n${spliced.join("\n")}`);
  process.exit(1);
}
writeFileSync(path, next);
console.log(next === readme ? "README tables already current" : "README tables updated");
