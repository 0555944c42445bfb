import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { CLONE_PREFIX } from "../../src/testing/postgres-clone.js";
import { postgresUrl } from "../support/databases.js";

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
  return runNode(["--import", "tsx", child, ...args], env, timeoutMs, killOnOutput);
}

/** Runs Node with `args` from the project root, as {@link runTwinChild} does. */
export function runNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs?: number,
  killOnOutput = false,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
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

/** Every database name on the test PostgreSQL server. */
export async function databases(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database");
    return rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}

/** Whether test database `name` (`dsql_test_<host>_<pid>_...`) was made by a process now gone. */
export function ownerGone(name: string): boolean {
  const pid = Number(name.slice(CLONE_PREFIX.length).split("_")[0]);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code !== "EPERM";
  }
}

/**
 * The databases `match` picks, once the server has held none of them for up
 * to 20 s (a process's watcher drops its databases just after it ends), or
 * as they are then.
 */
export async function databasesLeft(match: (name: string) => boolean): Promise<string[]> {
  const left = async () => (await databases()).filter(match);
  const deadline = Date.now() + 20_000;
  let names = await left();
  while (names.length > 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
    names = await left();
  }
  return names;
}
