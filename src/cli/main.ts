#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CliCommand, type CliIo, processIo } from "./io.js";

const USAGE = `Usage: drizzle-dsql <command> [options]

Commands:
  generate [drizzle-kit flags]   drizzle-kit generate, then rewrite the new migration for DSQL
  transform <files...>           rewrite drizzle-kit SQL files in place for DSQL
  check [files or folders...]    lint SQL against DSQL's rules (default: the config's out folder)
  migrate                        apply pending migrations one statement at a time
  status                         list applied and pending migration statements

  drizzle-dsql <command> --help  the command's flags
  drizzle-dsql --version         the installed version
`;

const commands: Record<string, () => Promise<CliCommand>> = {
  generate: async () => (await import("./generate.js")).runGenerate,
  transform: async () => (await import("./transform-command.js")).runTransform,
  check: async () => (await import("./check.js")).runCheck,
  migrate: async () => (await import("./migrate-command.js")).runMigrate,
  status: async () => (await import("./migrate-command.js")).runStatus,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String((pkg as { version?: unknown }).version);
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    io.stdout(`drizzle-dsql ${version()}\n`);
    return 0;
  }
  if (name === "help" && rest[0] && commands[rest[0]]) return main([rest[0], "--help"], io);
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? io.stdout : io.stderr)(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`drizzle-dsql: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  return command(rest, io);
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `drizzle-dsql: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
