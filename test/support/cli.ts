import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
const cli = join(root, "src", "cli", "main.ts");

/** How a CLI process ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment for a CLI run: the test's own, with `env` applied (undefined removes). */
function environment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Runs `drizzle-dsql <args>` (the source, through tsx) as a process, off a terminal, stdin closed. */
export function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [tsx, cli, ...args], {
      cwd,
      env: environment(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * Runs `drizzle-dsql <args>` in a pseudo-terminal (util-linux `script`), as a
 * user in a terminal would. `answer` sees everything printed so far and
 * returns keystrokes to type, or undefined to keep waiting. Returns the exit
 * code and the terminal's output (stdout and stderr together).
 */
export function runCliInTerminal(
  args: string[],
  cwd: string,
  answer: (screen: string) => string[] | undefined,
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, tsx, cli, ...args].map(shellQuote).join(" ");
  return new Promise((done, fail) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd,
      env: environment({}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    let answered = 0;
    const onData = (chunk: Buffer) => {
      screen += chunk.toString();
      const keys = answer(screen.slice(answered));
      if (!keys) return;
      answered = screen.length;
      // One key at a time, as typed: the prompt redraws between keys.
      keys.forEach((key, i) => {
        setTimeout(() => child.stdin.write(key), 200 * (i + 1));
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", fail);
    child.on("close", (code) => done({ code, screen }));
  });
}
