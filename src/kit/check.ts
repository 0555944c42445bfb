import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { loadParser } from "../sql/parser.js";
import { type Diagnostic, formatDiagnostic, formatSummary } from "./diagnostic.js";
import type { CliCommand, CliIo } from "./io.js";
import { type LintOptions, lintSqlDetailed } from "./lint.js";

const USAGE = `Usage: drizzle-dsql check [files or folders...] [--json] [--forbid-json]

Lints SQL files against Aurora DSQL's rules. Folders are searched recursively
for .sql files (drizzle's meta/ and node_modules are skipped). Without paths,
./drizzle is checked.

  --json         print one JSON document instead of text
  --forbid-json  also refuse json/jsonb columns
`;

class UsageError extends Error {}

interface Args {
  paths: string[];
  json: boolean;
  options: LintOptions;
}

function parseArgs(argv: string[]): Args | "help" {
  const args: Args = { paths: [], json: false, options: {} };
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") args.json = true;
    else if (arg === "--forbid-json") args.options.json = "forbid";
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option "${arg}"`);
    else args.paths.push(arg);
  }
  return args;
}

const SKIP_DIRS = new Set(["meta", "node_modules"]);

async function sqlFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await sqlFilesIn(full)));
    } else if (entry.isFile() && entry.name.endsWith(".sql")) {
      out.push(full);
    }
  }
  return out;
}

async function collectFiles(paths: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isDirectory()) files.push(...(await sqlFilesIn(full)));
    else files.push(full);
  }
  return [...new Set(files)];
}

interface FileReport {
  path: string;
  diagnostics: Diagnostic[];
}

function printText(reports: FileReport[], statements: number, io: CliIo): void {
  let errors = 0;
  let warnings = 0;
  for (const report of reports) {
    for (const d of report.diagnostics) {
      io.stdout(`${formatDiagnostic(report.path, d)}\n`);
      if (d.severity === "error") errors++;
      else warnings++;
    }
  }
  if (errors + warnings > 0) io.stdout("\n");
  io.stdout(`${formatSummary(errors, warnings, statements)}\n`);
}

/**
 * `drizzle-dsql check [files or folders...] [--json] [--forbid-json]`: lints
 * SQL files against DSQL's rules. Exit code 0 when clean (warnings allowed),
 * 1 when any error was found, 2 on usage errors.
 */
export const runCheck: CliCommand = async (argv, io) => {
  let files: string[];
  let args: Args;
  try {
    const parsed = parseArgs(argv);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    args = parsed;
    if (args.paths.length === 0) {
      if (!existsSync(resolve(io.cwd, "drizzle"))) {
        throw new UsageError("no paths given and ./drizzle does not exist");
      }
      args.paths.push("drizzle");
    }
    files = await collectFiles(args.paths, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`drizzle-dsql check: ${error.message}\n\n${USAGE}`);
    return 2;
  }

  await loadParser();
  const reports: FileReport[] = [];
  let statements = 0;
  for (const file of files) {
    const result = lintSqlDetailed(await readFile(file, "utf8"), args.options);
    statements += result.statements;
    reports.push({ path: relative(io.cwd, file) || file, diagnostics: result.diagnostics });
  }
  const all = reports.flatMap((r) => r.diagnostics);
  const errorCount = all.filter((d) => d.severity === "error").length;
  const warningCount = all.length - errorCount;
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ files: reports, errorCount, warningCount, statementCount: statements }, null, 2)}\n`,
    );
  } else {
    printText(reports, statements, io);
  }
  return errorCount > 0 ? 1 : 0;
};
