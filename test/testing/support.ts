import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("./twin-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** What a finished subprocess left: its exit code, stdout and stderr. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs twin-child.ts in a new Node process with `env` added to this one's.
 * A child still running after `timeoutMs` is killed (SIGKILL: `signal` says
 * so); with `killOnOutput`, as soon as it prints anything.
 */
export function runTwinChild(
  args: string[],
  env: Record<string, string>,
  timeoutMs?: number,
  killOnOutput = false,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killOnOutput) proc.kill("SIGKILL");
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    proc.on("error", reject);
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
