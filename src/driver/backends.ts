import {
  AuroraDSQLPool,
  type AuroraDSQLPoolConfig,
} from "@aws/aurora-dsql-node-postgres-connector";
import pg from "pg";
import { DsqlError } from "../errors.js";
import { EmbeddedPool } from "./embedded-pool.js";
import type { DsqlClient } from "./session.js";

/**
 * An Aurora DSQL endpoint: the pool signs a fresh IAM token for every new
 * connection. `user` is required (use a scoped role, not `admin`).
 */
export interface DsqlEndpoint
  extends Omit<AuroraDSQLPoolConfig, "user" | "password" | "connectionString"> {
  /** `<cluster-id>.dsql.<region>.on.aws` (or a cluster id with `region`). */
  host: string;
  /** The database role to connect as, e.g. `app_rw`. */
  user: string;
  /** AWS region; inferred from the host when omitted. */
  region?: string;
}

/** pg.Pool options with a `postgres://` or `pglite://` connection string. */
export interface PoolConnection extends Omit<pg.PoolConfig, "connectionString"> {
  connectionString: string;
}

/** What `drizzle({ connection })` accepts. */
export type DsqlConnection = string | DsqlEndpoint | PoolConnection;

/** Which kind of server a handle talks to. */
export type BackendKind = "dsql" | "postgres" | "pglite";

/** An opened backend: its pool and what kind of server is behind it. */
export interface Backend {
  client: DsqlClient;
  kind: BackendKind;
}

const DSQL_HOST = /\.dsql[^.]*\.[^.]+\.on\.aws$/;

/**
 * How long opening a connection may take, when the options do not say: pg's
 * own default (0) waits forever on a server that accepts TCP but never answers.
 */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

function withTimeout<T extends { connectionTimeoutMillis?: number }>(options: T): T {
  return {
    ...options,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
  };
}

function isEndpoint(connection: object): connection is DsqlEndpoint {
  const { host, region } = connection as { host?: unknown; region?: unknown };
  return typeof host === "string" && (DSQL_HOST.test(host) || typeof region === "string");
}

function openDsql(endpoint: DsqlEndpoint): Backend {
  if (typeof endpoint.user !== "string" || endpoint.user.trim() === "") {
    throw new DsqlError(
      'A DSQL connection needs `user` (the database role, e.g. "app_rw"); drizzle-dsql never defaults to "admin"',
    );
  }
  return {
    client: new AuroraDSQLPool(withTimeout(endpoint) as AuroraDSQLPoolConfig),
    kind: "dsql",
  };
}

function openUrl(url: string, options: Omit<pg.PoolConfig, "connectionString"> = {}): Backend {
  if (url.startsWith("pglite://"))
    // In process: no network to hang on, and PGlite's start can stall a handshake.
    return { client: new EmbeddedPool(url, options), kind: "pglite" };
  if (/^postgres(ql)?:\/\//.test(url)) {
    const host = new URL(url).hostname;
    if (DSQL_HOST.test(host)) {
      throw new DsqlError(
        "A DSQL endpoint needs IAM auth: pass { host, user, region } instead of a postgres:// URL",
      );
    }
    return {
      client: new pg.Pool(withTimeout({ ...options, connectionString: url })),
      kind: "postgres",
    };
  }
  throw new DsqlError(
    `Unsupported connection string "${url.split(":")[0]}:...": use postgres://..., pglite://memory or pglite://<folder>`,
  );
}

/** Opens the pool for a `connection` setting (see API.md, "Connecting"). */
export function openConnection(connection: DsqlConnection): Backend {
  if (typeof connection === "string") return openUrl(connection);
  if (connection === null || typeof connection !== "object") {
    throw new DsqlError("`connection` must be a connection string or an options object");
  }
  if ("connectionString" in connection && typeof connection.connectionString === "string") {
    const { connectionString, ...options } = connection;
    return openUrl(connectionString, options);
  }
  if (isEndpoint(connection)) return openDsql(connection);
  return { client: new pg.Pool(withTimeout(connection as pg.PoolConfig)), kind: "postgres" };
}

/** Classifies a pool the user built: AuroraDSQLPool is DSQL, anything else a local twin. */
export function adoptClient(client: DsqlClient): Backend {
  if (client instanceof AuroraDSQLPool) return { client, kind: "dsql" };
  if (client instanceof EmbeddedPool) return { client, kind: "pglite" };
  return { client, kind: "postgres" };
}
