import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** An embedded PGlite served over the PostgreSQL wire protocol on loopback. */
export interface EmbeddedServer {
  /** The Unix socket the server listens on. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Parses `pglite://memory` or `pglite://<dir>` into PGlite's data location:
 * `undefined` for memory, else the folder resolved from the current directory.
 */
export function pgliteDataDir(connection: string): string | undefined {
  const rest = connection.slice("pglite://".length);
  if (rest === "" || rest === "memory" || rest === "memory/") return undefined;
  return resolve(rest);
}

/**
 * Starts PGlite (in memory or in a folder) and serves it over the PostgreSQL
 * wire protocol on the Unix socket `socketPath`. pglite-socket serialises
 * transactions across connections, so `maxConnections` must cover the pool.
 */
export async function startEmbeddedServer(
  connection: string,
  maxConnections: number,
  socketPath: string,
): Promise<EmbeddedServer> {
  const dataDir = pgliteDataDir(connection);
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  return {
    url: socketPath,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
