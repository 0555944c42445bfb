import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const cli = resolve("src/cli/main.ts");
const tsx = resolve("node_modules/tsx/dist/loader.mjs");

/** How a CLI process ended. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/**
 * A running `drizzle-dsql` process: node with tsx's loader, one process, so
 * SIGINT and SIGKILL reach the CLI itself (./cli.ts runs tsx's own CLI,
 * which forks a child that a SIGKILL of the parent would leave running).
 */
export interface CliProcess {
  child: ChildProcess;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout or stderr matches `pattern` (rejects after `timeoutMs` or on exit). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<CliExit>;
}

/** Starts `drizzle-dsql <args>` in `cwd` with `env` (replacing the environment when `clean`). */
export function startCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; clean?: boolean },
): CliProcess {
  const started = Date.now();
  const env = options.clean
    ? { PATH: process.env.PATH, ...options.env }
    : { ...process.env, ...options.env };
  const child = spawn(process.execPath, ["--import", tsx, cli, ...args], {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let closed = false;
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const w of [...watchers]) w();
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    notify();
  });
  const exited = new Promise<CliExit>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => {
      closed = true;
      notify();
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          fail(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            watchers.delete(check);
            clearTimeout(timer);
            done();
          } else if (closed) {
            watchers.delete(check);
            clearTimeout(timer);
            fail(new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/** Runs `drizzle-dsql <args>` to the end. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; clean?: boolean },
): Promise<CliExit> {
  return startCli(args, options).exited;
}
