import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { loadDrizzleConfig } from "../migrator/config.js";
import { type JournalEntry, readJournal, snapshotEnums } from "../migrator/journal.js";
import { loadParser } from "../sql/parser.js";
import { formatDiagnostic } from "./diagnostic.js";
import type { CliIo } from "./io.js";
import { lintSql } from "./lint.js";
import { type TransformOptions, type TransformResult, transformSql } from "./transform.js";

/** drizzle-dsql's own flags of `generate`; everything else goes to drizzle-kit. */
interface GenerateFlags {
  config: string | undefined;
  transform: TransformOptions;
  kitArgs: string[];
}

function flagValue(argv: string[], i: number, name: string): [string | undefined, number] {
  const arg = argv[i] ?? "";
  if (arg.startsWith(`${name}=`)) return [arg.slice(name.length + 1), i];
  return [argv[i + 1], i + 1];
}

function parseFlags(argv: string[]): GenerateFlags {
  const flags: GenerateFlags = { config: undefined, transform: {}, kitArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const name = arg.split("=")[0];
    if (name === "--dsql-json") {
      const [value, next] = flagValue(argv, i, name);
      if (value !== "text" && value !== "native")
        throw new UsageError("--dsql-json takes text or native");
      flags.transform.json = value;
      i = next;
    } else if (name === "--dsql-foreign-keys") {
      const [value, next] = flagValue(argv, i, name);
      if (value !== "validate" && value !== "drop") {
        throw new UsageError("--dsql-foreign-keys takes validate or drop");
      }
      flags.transform.foreignKeys = value;
      i = next;
    } else {
      if (name === "--config") {
        const [value, next] = flagValue(argv, i, name);
        flags.config = value;
        flags.kitArgs.push(...argv.slice(i, next + 1));
        i = next;
        continue;
      }
      flags.kitArgs.push(arg);
    }
  }
  return flags;
}

class UsageError extends Error {}

/** drizzle-kit's CLI script, resolved from the user's project (else from drizzle-dsql's own). */
export function resolveDrizzleKit(cwd: string): string {
  let main: string;
  try {
    main = createRequire(join(cwd, "package.json")).resolve("drizzle-kit");
  } catch {
    main = createRequire(import.meta.url).resolve("drizzle-kit");
  }
  return join(dirname(main), "bin.cjs");
}

function runKit(bin: string, args: string[], io: CliIo): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, "generate", ...args], {
      cwd: io.cwd,
      stdio: ["inherit", "pipe", "pipe"],
      env: process.env,
    });
    child.stdout.on("data", (d: Buffer) => io.stdout(d.toString()));
    child.stderr.on("data", (d: Buffer) => io.stderr(d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise(code ?? 1));
  });
}

function enumsFor(
  out: string,
  entries: JournalEntry[],
  entry: JournalEntry,
): Record<string, string[]> {
  const previous = entries.filter((e) => e.idx < entry.idx).at(-1);
  return { ...(previous ? snapshotEnums(out, previous) : {}), ...snapshotEnums(out, entry) };
}

function report(file: string, result: TransformResult, io: CliIo): number {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const byStatement = new Map<number, typeof result.changes>();
  for (const change of result.changes) {
    byStatement.set(change.statement, [...(byStatement.get(change.statement) ?? []), change]);
  }
  io.stdout(
    `drizzle-dsql: ${file}: ${result.changes.length} change(s) for DSQL${errors.length ? `, ${errors.length} error(s)` : ""}\n`,
  );
  for (const [statement, changes] of [...byStatement].sort((a, b) => a[0] - b[0])) {
    const first = (changes[0]?.before ?? "").replace(/\s+/g, " ").slice(0, 70);
    io.stdout(`  statement ${statement + 1}: ${first}\n`);
    for (const c of changes)
      io.stdout(`    ${c.severity === "warning" ? "!" : "~"} ${c.rule}: ${c.reason}\n`);
  }
  for (const d of result.diagnostics) {
    const line = formatDiagnostic(file, d);
    (d.severity === "error" ? io.stderr : io.stdout)(`${line}\n`);
  }
  return errors.length;
}

/**
 * `drizzle-dsql generate [drizzle-kit generate flags] [--dsql-json text|native]
 * [--dsql-foreign-keys validate|drop]`: runs drizzle-kit generate, then
 * rewrites the new migration files in place with {@link transformSql},
 * leaving drizzle's journal and snapshots as drizzle-kit wrote them. Exits 1
 * when a statement cannot be rewritten safely (it stays in the file, marked
 * with a `-- drizzle-dsql: error` comment), 2 on usage errors.
 *
 * @example
 * ```sh
 * npx drizzle-dsql generate --config drizzle.config.ts --name add_orders
 * ```
 */
export async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  let flags: GenerateFlags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`drizzle-dsql generate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const config = await loadDrizzleConfig(io.cwd, flags.config);
  const outFlag = flags.kitArgs.findIndex((a) => a === "--out" || a.startsWith("--out="));
  const out =
    outFlag >= 0
      ? resolve(
          io.cwd,
          (flags.kitArgs[outFlag] ?? "").split("=")[1] ?? flags.kitArgs[outFlag + 1] ?? "drizzle",
        )
      : config.out;
  let bin: string;
  try {
    bin = resolveDrizzleKit(io.cwd);
  } catch {
    io.stderr(
      "drizzle-dsql generate: drizzle-kit is not installed in this project (npm i -D drizzle-kit)\n",
    );
    return 2;
  }
  const before = new Set(readJournal(out).entries.map((e) => e.tag));
  const code = await runKit(bin, flags.kitArgs, io);
  if (code !== 0) return code;
  const entries = readJournal(out).entries;
  const fresh = entries.filter((e) => !before.has(e.tag));
  if (fresh.length === 0) return 0;
  await loadParser();
  let failures = 0;
  for (const entry of fresh) {
    const path = join(out, `${entry.tag}.sql`);
    const file = relative(io.cwd, path);
    const text = readFileSync(path, "utf8");
    const result = transformSql(text, { ...flags.transform, enums: enumsFor(out, entries, entry) });
    if (result.sql !== text) writeFileSync(path, result.sql);
    failures += report(file, result, io);
    if (result.diagnostics.some((d) => d.severity === "error")) continue;
    for (const d of lintSql(result.sql).filter((x) => x.severity === "error")) {
      io.stderr(`${formatDiagnostic(file, d)}\n`);
      failures++;
    }
  }
  if (failures > 0) {
    io.stderr(
      `drizzle-dsql: ${failures} statement(s) cannot run on DSQL as written; they are marked "-- drizzle-dsql: error" in the file. Change the schema (see the messages) and generate again, or edit the migration by hand.\n`,
    );
    return 1;
  }
  return 0;
}
