import { deparse } from "../../sql/parser.js";
import type { Emitted } from "./types.js";

/** Splits `s` at commas outside parentheses and quotes. */
function topLevelParts(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = "";
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote = "";
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  return -1;
}

/** Lays out `CREATE TABLE t (a, b)` one element per line, as drizzle-kit does. */
function layoutCreateTable(text: string): string {
  const open = text.indexOf("(");
  if (!/^CREATE TABLE/i.test(text) || open < 0 || closingParen(text, open) !== text.length - 1) {
    return text;
  }
  const body = text.slice(open + 1, -1);
  return `${text.slice(0, open).trimEnd()} (\n\t${topLevelParts(body).join(",\n\t")}\n)`;
}

/** Renders one emitted statement as SQL (without a trailing semicolon). */
export function render(emitted: Emitted): string {
  let text = emitted.text ?? (emitted.node ? deparse(emitted.node) : "");
  if (emitted.async) {
    text = text.replace(/^(CREATE\s+(?:UNIQUE\s+)?INDEX|ALTER\s+TABLE)(?!\s+ASYNC\b)/i, "$1 ASYNC");
  }
  return layoutCreateTable(text);
}
