import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";

/**
 * The watcher that drops this process's PostgreSQL test databases once the
 * process is gone, however it ends. A `beforeExit` hook runs only when the
 * event loop empties by itself; test runners end their workers with
 * `process.exit()` or a signal (vitest's forks do), and a crash or SIGKILL
 * runs nothing at all. The watcher is a small detached Node process reading
 * this one's pipe: a line per database about to be created, created, or
 * dropped; when the pipe closes (this process ended, in whatever way), it
 * drops what is left and exits. A database announced but not confirmed was
 * being created when the process ended: the server finishes a CREATE
 * DATABASE whose client is gone, so the watcher drops it again for a while.
 * Detached, so the Ctrl-C that stops a test run does not stop it too.
 * CommonJS run with `node -e`, so it needs no file of its own (the suite runs
 * drizzle-dsql from TypeScript sources); `pg` is passed as a resolved path.
 */
const WATCHER = `
const pg = require(process.argv[1]);
const open = new Map();
let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  let end;
  while ((end = buffered.indexOf("\\n")) >= 0) {
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 1);
    try {
      const message = JSON.parse(line);
      if (message.creating) open.set(message.creating, { url: message.url, confirmed: false });
      if (message.created) open.set(message.created, { url: message.url, confirmed: true });
      if (message.dropped) open.delete(message.dropped);
    } catch {}
  }
});
async function drop(name, url) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('DROP DATABASE IF EXISTS "' + name.replace(/"/g, '""') + '" WITH (FORCE)');
  } catch {}
  await client.end().catch(() => {});
}
let reaping = false;
async function reap() {
  if (reaping) return;
  reaping = true;
  for (const [name, { url }] of open) await drop(name, url);
  const unconfirmed = [...open].filter(([, entry]) => !entry.confirmed);
  for (let round = 0; round < 20 && unconfirmed.length > 0; round++) {
    await new Promise((done) => setTimeout(done, 500));
    for (const [name, { url }] of unconfirmed) await drop(name, url);
  }
  process.exit(0);
}
process.stdin.on("end", reap);
process.stdin.on("close", reap);
process.stdin.on("error", reap);
`;

let watcher: ChildProcess | undefined;

function send(message: Record<string, string>): void {
  if (!watcher) {
    const pgPath = createRequire(import.meta.url).resolve("pg");
    watcher = spawn(process.execPath, ["-e", WATCHER, pgPath], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
      windowsHide: true,
    });
    // Neither the child nor the pipe keeps this process alive.
    watcher.unref();
    (watcher.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watcher.on("error", () => {}); // no watcher: the next run's orphan sweep remains
    watcher.stdin?.on("error", () => {});
  }
  watcher.stdin?.write(`${JSON.stringify(message)}\n`);
}

/** Tells the watcher that database `name` on the server of admin URL `url` is about to be created. */
export function watchCreating(name: string, url: string): void {
  send({ creating: name, url });
}

/** Tells the watcher that database `name` on the server of admin URL `url` now exists. */
export function watchDatabase(name: string, url: string): void {
  send({ created: name, url });
}

/** Tells the watcher that database `name` is gone (dropped by close()). */
export function forgetDatabase(name: string): void {
  if (watcher) send({ dropped: name });
}
