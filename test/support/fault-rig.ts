import { sql } from "drizzle-orm";
import pg from "pg";
import { type DsqlDrizzleConfig, drizzle } from "../../src/index.js";
import { freshConnection } from "./databases.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";

type Db = ReturnType<typeof drizzle<Record<string, never>>>;

/**
 * A real backend with a fault proxy in front: `direct` talks to it
 * straight, `through()` opens handles whose connections pass the proxy.
 * `terminate(pid)` ends a backend the way an operator or a failover does:
 * pg_terminate_backend on PostgreSQL; PGlite has one process, so there the
 * proxy cuts every connection instead.
 */
export interface FaultRig {
  direct: Db;
  proxy: FaultProxy;
  through(config?: Partial<DsqlDrizzleConfig> & { pool?: pg.PoolConfig }): Db;
  /** Ends the backend serving `pid` (PostgreSQL) or every proxied connection (PGlite). */
  terminate(pid?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultRig(backend: "pglite" | "postgres"): Promise<FaultRig> {
  const fresh = await freshConnection(backend);
  const direct = drizzle({ connection: fresh.connection, dsqlRules: "off" });
  let proxy: FaultProxy;
  let database: string;
  if (backend === "pglite") {
    const pool = direct.$client as pg.Pool & { ready(): Promise<void>; options: { host: string } };
    await pool.ready();
    proxy = await startFaultProxy({ path: `${pool.options.host}/.s.PGSQL.5432` });
    database = "postgres";
  } else {
    const url = new URL(fresh.connection);
    proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port) });
    database = url.pathname.slice(1);
  }
  const handles: Db[] = [];
  return {
    direct,
    proxy,
    through(config = {}) {
      const { pool: poolConfig, ...rest } = config;
      const pool = new pg.Pool({
        host: "127.0.0.1",
        port: proxy.port,
        user: "postgres",
        database,
        max: 4,
        connectionTimeoutMillis: 2000,
        ...poolConfig,
      });
      const db = drizzle({ ...rest, client: pool }) as Db;
      handles.push(db);
      return db;
    },
    async terminate(pid) {
      if (backend === "pglite" || pid === undefined) {
        proxy.resetAll();
        return;
      }
      await direct.execute(sql`select pg_terminate_backend(${pid}::int)`);
    },
    async close() {
      for (const db of handles) await db.$close().catch(() => {});
      await proxy.close();
      await direct.$close();
      await fresh.drop();
    },
  };
}
