import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** A throwaway PostgreSQL server started from the machine's binaries. */
export interface PostgresServer {
  /** Superuser URL on loopback, without TLS. */
  url: string;
  /** Whether the server accepts TLS (self-signed certificate). */
  tls: boolean;
  /** Stops the server (fast shutdown: every connection is terminated) and starts it again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Finds `/usr/lib/postgresql/<version>/bin`, newest version first. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function asPostgresUser(bin: string, args: string[]): [string, string[]] {
  return isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
}

/** Last resort: SIGKILL the postmaster named in the data directory's pid file. */
function killPostmaster(data: string): void {
  try {
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid > 0) process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited early:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`postgres did not become ready in 30 s:\n${log()}`);
}

/**
 * Starts PostgreSQL in a temporary data directory on a free loopback port,
 * with a self-signed certificate so TLS clients can connect too.
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "drizzle-dsql-pg-"));
  const data = join(dir, "data");
  if (isRoot) {
    const pw = execFileSync("id", ["-u", "postgres"]).toString().trim();
    const gr = execFileSync("id", ["-g", "postgres"]).toString().trim();
    chownSync(dir, Number(pw), Number(gr));
  }
  chmodSync(dir, 0o700);
  const [initCmd, initArgs] = asPostgresUser(join(bin, "initdb"), [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  execFileSync(initCmd, initArgs, { stdio: "pipe" });
  const cert = join(data, "server.crt");
  const key = join(data, "server.key");
  const [sslCmd, sslArgs] = asPostgresUser("openssl", [
    "req",
    "-new",
    "-x509",
    "-days",
    "2",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-newkey",
    "rsa:2048",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  let tls = true;
  try {
    execFileSync(sslCmd, sslArgs, { stdio: "pipe" });
  } catch {
    tls = false;
  }
  const port = await freePort();
  const settings = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
    ...(tls ? ["-c", "ssl=on", "-c", `ssl_cert_file=${cert}`, "-c", `ssl_key_file=${key}`] : []),
  ];
  const [cmd, args] = asPostgresUser(join(bin, "postgres"), settings);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let output = "";
  const launch = async () => {
    const started = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    started.stdout?.on("data", (d) => {
      output += d;
    });
    started.stderr?.on("data", (d) => {
      output += d;
    });
    await waitUntilReady(url, started, () => output);
    return started;
  };
  let child = await launch();
  const halt = async () => {
    // runuser does not pass signals on to postgres, so ask pg_ctl to stop
    // the server itself (fast shutdown), then make sure the process is gone.
    const [ctl, ctlArgs] = asPostgresUser(join(bin, "pg_ctl"), [
      "stop",
      "-D",
      data,
      "-m",
      "fast",
      "-w",
      "-t",
      "20",
    ]);
    try {
      execFileSync(ctl, ctlArgs, { stdio: "ignore" });
    } catch {
      killPostmaster(data);
    }
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  return {
    url,
    tls,
    async restart() {
      await halt();
      child = await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
