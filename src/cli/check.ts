import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { CliUsageError, DrizzleConfigError } from "../errors.js";
import { type Diagnostic, formatDiagnostic, formatSummary } from "../lint/diagnostic.js";
import { type LintOptions, lintSqlDetailed } from "../lint/lint.js";
import { loadDrizzleConfig } from "../migrator/config.js";
import { loadParser } from "../sql/parser.js";
import type { CliCommand, CliIo } from "./io.js";

const USAGE = `Usage: drizzle-dsql check [files or folders...] [--json] [--forbid-json]

Lints SQL files against Aurora DSQL's rules. Folders are searched recursively
for .sql files (drizzle's meta/ and node_modules are skipped). Without paths,
the drizzle config's out folder is checked (./drizzle without a config).

  --json           print one JSON document instead of text
  --forbid-json    also refuse json/jsonb columns
  --config <file>  drizzle config whose out folder to check when no paths are given
                   (default ./drizzle.config.{ts,mts,js,mjs,cjs,json})
  -h, --help       this text

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 usage.
`;

interface Args {
  paths: string[];
  json: boolean;
  config: string | undefined;
  options: LintOptions;
}

function parseArgs(argv: string[]): Args | "help" {
  const args: Args = { paths: [], json: false, config: undefined, options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") args.json = true;
    else if (arg === "--forbid-json") args.options.json = "forbid";
    else if (arg === "--config" || arg.startsWith("--config=")) {
      args.config = arg.includes("=") ? arg.slice("--config=".length) : argv[++i];
      if (!args.config) throw new CliUsageError("--config needs a value");
    } else if (arg.startsWith("-") && arg !== "-")
      throw new CliUsageError(`unknown option "${arg}"`);
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
    if (!info) throw new CliUsageError(`no such file or folder: ${path}`);
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
 * `drizzle-dsql check [files or folders...] [--json] [--forbid-json] [--config file]`: lints
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
      const { out, path } = await loadDrizzleConfig(io.cwd, args.config);
      const rel = relative(io.cwd, out);
      const shown = rel.startsWith("..") || isAbsolute(rel) ? out : `./${rel}`;
      if (!existsSync(out)) {
        const source = path ? ` (out of ${relative(io.cwd, path)})` : "";
        throw new CliUsageError(`no paths given and ${shown} does not exist${source}`);
      }
      args.paths.push(out);
    }
    files = await collectFiles(args.paths, io.cwd);
  } catch (error) {
    if (error instanceof DrizzleConfigError) {
      io.stderr(`drizzle-dsql check: ${error.message}\n`);
      return 2;
    }
    if (!(error instanceof CliUsageError)) throw error;
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
