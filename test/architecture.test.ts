/**
 * The dependency order of src/ (ARCHITECTURE.md), checked over the import
 * graph: every relative import of every src file, `import type` and
 * `export ... from` included, must run downward or stay in its own room.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

/** The entry files: public exports only; they may import any room below cli. */
const ENTRIES = ["index", "kit", "migrator", "testing"].map((name) => `entry:${name}`);

/**
 * Each room and the rooms it may import (besides itself). Bottom to top:
 * errors <- sql (columns beside it) <- rules <- {tenant, twin, lint} <- driver
 * <- {bulk, migrator} <- testing <- entry files <- cli.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  sql: ["errors"],
  columns: ["errors", "sql"],
  rules: ["errors", "sql"],
  tenant: ["errors", "sql", "rules"],
  twin: ["errors", "sql", "rules"],
  lint: ["errors", "sql", "rules"],
  driver: ["errors", "sql", "columns", "rules", "tenant", "twin", "lint"],
  bulk: ["errors", "sql", "columns", "rules", "tenant", "twin", "lint", "driver"],
  migrator: ["errors", "sql", "columns", "rules", "tenant", "twin", "lint", "driver"],
  testing: [
    "errors",
    "sql",
    "columns",
    "rules",
    "tenant",
    "twin",
    "lint",
    "driver",
    "bulk",
    "migrator",
  ],
};
/**
 * Leaf files at the root that every room may import: the error classes and
 * the one file that reaches into drizzle-orm's internals (pinned to 0.45.x).
 */
const LEAVES = ["errors", "drizzle-internals"];
for (const room of Object.keys(MAY_IMPORT)) {
  if (room !== "errors") MAY_IMPORT[room] = [...(MAY_IMPORT[room] ?? []), "drizzle-internals"];
}
MAY_IMPORT["drizzle-internals"] = [];
for (const entry of ENTRIES) MAY_IMPORT[entry] = [...(MAY_IMPORT.testing ?? []), "testing"];
MAY_IMPORT.cli = [...(MAY_IMPORT.testing ?? []), "testing", ...ENTRIES];

/**
 * Imports that run upward today and are being removed on other branches.
 * Each is `file -> import`, both relative to src/. The lead empties this
 * list after merging; do not add to it.
 */
const KNOWN_VIOLATIONS = new Set<string>([]);

/** The room of a file relative to src/: its top folder, `errors`, or `entry:<name>`. */
function roomOf(file: string): string {
  const parts = file.split("/");
  if (parts.length > 1) return parts[0] as string;
  const name = file.replace(/\.ts$/, "");
  return LEAVES.includes(name) ? name : `entry:${name}`;
}

/** Every .ts file under `dir`, relative to src/. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

const SPECIFIER = /\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

/** The src files `file` imports (relative specifiers only; packages are not rooms). */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] as string;
    if (!specifier.startsWith(".")) continue;
    const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts");
    out.push(target);
  }
  return out;
}

/** The edges `file -> import` that the order forbids. */
function violations(edges: readonly [string, string][]): string[] {
  const out: string[] = [];
  for (const [from, to] of edges) {
    const a = roomOf(from);
    const b = roomOf(to);
    if (to.startsWith("..")) out.push(`${from} -> ${to} (outside src/)`);
    else if (a !== b && !(MAY_IMPORT[a] ?? []).includes(b)) out.push(`${from} -> ${to}`);
  }
  return out;
}

const files = sourceFiles();
const edges: [string, string][] = files.flatMap((file) =>
  importsOf(file, readFileSync(join(SRC, file), "utf8")).map((to): [string, string] => [file, to]),
);

describe("the import graph of src/", () => {
  it("sees the source tree", () => {
    expect(files).toContain("errors.ts");
    expect(files).toContain("driver/session.ts");
    expect(edges.length).toBeGreaterThan(100);
  });

  it("places every file in a known room", () => {
    const unknown = files.filter((f) => MAY_IMPORT[roomOf(f)] === undefined);
    expect(unknown, "new folder: add it to MAY_IMPORT and ARCHITECTURE.md").toEqual([]);
  });

  it("imports only downward (file -> import)", () => {
    const found = violations(edges).filter((v) => !KNOWN_VIOLATIONS.has(v));
    expect(found).toEqual([]);
  });

  it("keeps the allowlist honest: every known violation still exists", () => {
    const found = new Set(violations(edges));
    expect([...KNOWN_VIOLATIONS].filter((v) => !found.has(v))).toEqual([]);
  });

  it("keeps errors.ts a leaf: it imports nothing from src/", () => {
    expect(edges.filter(([from]) => from === "errors.ts")).toEqual([]);
  });

  it("keeps tenant, twin and lint apart", () => {
    const siblings = ["tenant", "twin", "lint"];
    const crossing = edges.filter(([from, to]) => {
      const a = roomOf(from);
      const b = roomOf(to);
      return a !== b && siblings.includes(a) && siblings.includes(b);
    });
    expect(crossing).toEqual([]);
  });

  it("fails an upward import, naming file -> import", () => {
    const text = 'import { x } from "../driver/session.js";\nexport type { y } from "./ast.js";';
    const fake = importsOf("rules/new-rule.ts", text).map((to): [string, string] => [
      "rules/new-rule.ts",
      to,
    ]);
    expect(violations(fake)).toEqual(["rules/new-rule.ts -> driver/session.ts"]);
    expect(violations([["errors.ts", "sql/parser.ts"]])).toEqual(["errors.ts -> sql/parser.ts"]);
    expect(violations([["lint/lint.ts", "tenant/ast.ts"]])).toEqual([
      "lint/lint.ts -> tenant/ast.ts",
    ]);
  });
});
