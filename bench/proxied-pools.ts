import pg from "pg";
import { startLatencyProxy } from "./proxy.js";
import type { BenchPostgres } from "./servers.js";

/** Two pools of 8 on one server: straight to it, and through a latency proxy. */
export interface ProxiedPools {
  loopback: pg.Pool;
  proxy: pg.Pool;
  /** Ends both pools and the proxy. */
  close(): Promise<void>;
}

/** Opens the loopback pool and a proxy adding `delayMs` per round trip, with a pool through it. */
export async function openProxiedPools(
  server: BenchPostgres,
  delayMs: number,
): Promise<ProxiedPools> {
  const proxy = await startLatencyProxy({ host: server.host, port: server.port }, delayMs);
  const proxied = Object.assign(new URL(server.url), { port: String(proxy.port) }).toString();
  const loopback = new pg.Pool({ connectionString: server.url, max: 8 });
  const through = new pg.Pool({ connectionString: proxied, max: 8 });
  return {
    loopback,
    proxy: through,
    async close() {
      await loopback.end();
      await through.end();
      await proxy.close();
    },
  };
}
