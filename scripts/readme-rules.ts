// The README's generated rule tables: rendering the block between the
// markers, and finding generated rows anywhere else (a splice).
import { renderCompatibilityTable } from "../src/rules/table.js";

export const START = "<!-- rules:start -->";
export const END = "<!-- rules:end -->";

/** The generated tables (rule list, lint-only checks), each as its lines. */
export function generatedTables(): string[][] {
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of renderCompatibilityTable().split("\n")) {
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = [];
      tables.push(current);
    }
    current.push(line);
  }
  return tables;
}

/** What goes between the markers: the tables, a blank line apart. */
export function rulesBlock(): string {
  return generatedTables()
    .map((table) => table.join("\n"))
    .join("\n\n");
}

function markerAt(readme: string, marker: string): number {
  const first = readme.indexOf(marker);
  if (first < 0) throw new Error(`README has no ${marker} marker`);
  if (readme.indexOf(marker, first + 1) >= 0) throw new Error(`README has ${marker} twice`);
  return first;
}

/** The README with the block between the markers replaced by the current tables. */
export function withRulesBlock(readme: string): string {
  const start = markerAt(readme, START) + START.length;
  const end = markerAt(readme, END);
  if (end < start) throw new Error(`README has ${END} before ${START}`);
  return `${readme.slice(0, start)}\n${rulesBlock()}\n${readme.slice(end)}`;
}

/**
 * Lines of the README that carry a generated table's header or row outside
 * the markers, or mid-line anywhere (a table spliced into prose,
 * stale or not), with their line numbers.
 */
export function splicedLines(readme: string): string[] {
  const start = markerAt(readme, START);
  const end = markerAt(readme, END);
  // Every generated line but the separators (|---|, shared by any table).
  const marks = generatedTables().flatMap((table) => table.filter((_, i) => i !== 1));
  const problems: string[] = [];
  let offset = 0;
  readme.split("\n").forEach((line, i) => {
    const inside = offset > start && offset < end;
    offset += line.length + 1;
    for (const mark of marks) {
      const at = line.indexOf(mark);
      if (at < 0 || (at === 0 && inside && line === mark)) continue;
      problems.push(
        `README.md:${i + 1}: generated table line "${mark}" spliced in: ${line.slice(0, 80)}`,
      );
    }
  });
  return problems;
}
