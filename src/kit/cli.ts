#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CliCommand, type CliIo, processIo } from "./io.js";

const USAGE = `Usage: drizzle-dsql <command> [options]

Commands:
  generate [drizzle-kit flags]        drizzle-kit generate, then rewrite the new files for DSQL
  check [files or folders...] [--json] lint SQL against DSQL's rules (exit 1 on errors)
  migrate [--config drizzle.config.ts] apply pending migrations one statement at a time
  status  [--config drizzle.config.ts] list applied and pending migration statements
`;

const commands: Record<string, () => Promise<CliCommand>> = {
  generate: async () => (await import("./generate.js")).runGenerate,
  check: async () => (await import("./check.js")).runCheck,
  migrate: async () => (await import("./migrate-command.js")).runMigrate,
  status: async () => (await import("./migrate-command.js")).runStatus,
};

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(USAGE);
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
