/**
 * Regenerates docs/compatibility.md from the rule list:
 * `npx tsx scripts/render-compatibility.ts`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCompatibilityTable } from "../src/rules/table.js";

const target = fileURLToPath(new URL("../docs/compatibility.md", import.meta.url));
writeFileSync(target, renderCompatibilityTable());
process.stdout.write(`wrote ${target}\n`);
