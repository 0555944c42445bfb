import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CliIo } from "./io.js";

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

/** How a drizzle-kit run ended: its exit code and what it wrote on stderr. */
export interface KitRun {
  code: number;
  stderr: string;
}

/**
 * Runs `drizzle-kit <args>`. On a terminal (`interactive`), drizzle-kit gets
 * the terminal itself (stdin and stdout), so its questions ("created or
 * renamed?") reach the user; otherwise its output is passed through. stderr
 * is always passed through and also kept, since drizzle-kit reports most
 * failures there while exiting 0.
 */
export function runDrizzleKit(
  bin: string,
  args: string[],
  io: CliIo,
  interactive: boolean,
): Promise<KitRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: io.cwd,
      stdio: interactive ? ["inherit", "inherit", "pipe"] : ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => io.stdout(d.toString()));
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      io.stderr(d.toString());
    });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolvePromise({ code: code ?? (signal ? 130 : 1), stderr }),
    );
  });
}

const TTY_REQUIRED = /Interactive prompts require a TTY/;

/**
 * Why a drizzle-kit run failed, in drizzle-kit's own words (the first error
 * line it printed), or undefined when it succeeded. drizzle-kit exits 0 after
 * many failures (a schema that throws on load, a prompt without a terminal),
 * so its stderr is read too.
 */
export function kitFailure(run: KitRun): { message: string; needsTerminal: boolean } | undefined {
  const errorLine = run.stderr
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /^(\S*Error\b|error:|\[✗\]|\[x\])/i.test(line));
  if (run.code === 0 && errorLine === undefined) return undefined;
  return {
    message: errorLine ?? `drizzle-kit exited with code ${run.code}`,
    needsTerminal: TTY_REQUIRED.test(run.stderr),
  };
}
