import { lintOnlyChecks } from "./lint-only.js";
import { rules } from "./list.js";
import { twinCheckOf } from "./twin-checks.js";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * The compatibility table of `docs/compatibility.md`, rendered from the rule
 * list: one row per rule with what DSQL refuses, its SQLSTATE and what to
 * write instead. Regenerate the file with `npx tsx scripts/render-compatibility.ts`.
 */
export function renderCompatibilityTable(): string {
  const lines = [
    "# Aurora DSQL compatibility",
    "",
    "What Aurora DSQL refuses, as enforced by `drizzle-dsql check`, `lintSql()` and the",
    "local twin (PostgreSQL / PGlite): one rule list, so what `check` reports is what the",
    "twin refuses. Statement rules look at one statement; transaction rules are enforced by",
    "the twin per transaction (and, where visible in a SQL file, by `check`). The twin",
    "column says what the local twin reads to decide: the parse tree, the live catalog, or",
    "the server's own counters of what a transaction wrote, and where that only approximates DSQL.",
    "",
    "Generated from `src/rules/` by `npx tsx scripts/render-compatibility.ts`; do not edit by hand.",
    "",
    "| Rule | What DSQL refuses | SQLSTATE | Scope | How the twin checks | What to do instead |",
    "|---|---|---|---|---|---|",
  ];
  for (const rule of rules) {
    const kind = rule.limit ? `${rule.sqlstate} (limit)` : rule.sqlstate;
    lines.push(
      `| \`${rule.id}\` | ${cell(rule.description)} | ${kind} | ${rule.scope} | ${cell(twinCheckOf(rule))} | ${cell(rule.instead)} |`,
    );
  }
  lines.push(
    "",
    "## Checks only `drizzle-dsql check` / `lintSql()` make",
    "",
    "They look at a whole file rather than one statement. Of these, the twin enforces only the transaction rules (per real transaction).",
    "",
    "| Id | Severity | What it reports |",
    "|---|---|---|",
  );
  for (const check of lintOnlyChecks) {
    lines.push(`| \`${check.id}\` | ${check.severity} | ${cell(check.description)} |`);
  }
  return `${lines.join("\n")}\n`;
}
