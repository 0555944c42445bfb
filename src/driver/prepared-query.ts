import { type Cache, NoopCache } from "drizzle-orm/cache/core";
import { entityKind, is } from "drizzle-orm/entity";
import { DrizzleQueryError } from "drizzle-orm/errors";
import type { NodePgSession } from "drizzle-orm/node-postgres/session";
import type { SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import { PgPreparedQuery, type PreparedQueryConfig } from "drizzle-orm/pg-core/session";
import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { fillPlaceholders } from "drizzle-orm/sql/sql";
import type pg from "pg";
import { mapResultRow } from "../drizzle-internals.js";

/** A result as pg returns it. */
export type Result = pg.QueryResult<Record<string, unknown>>;

/** What a prepared query runs its statement through: its session's gate. */
export interface StatementRunner {
  run(
    sql: string,
    params: unknown[],
    rowMode: "array" | undefined,
    name: string | undefined,
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
  ): Promise<Result>;
}

/** Drizzle's own `prepareQuery` cache settings. */
type CacheConfig = Parameters<
  NodePgSession<Record<string, unknown>, TablesRelationalConfig>["prepareQuery"]
>[6];

/** One statement on its connection, for {@link DsqlPreparedQuery.runCached}. */
export interface StatementSender {
  query(): Promise<Result>;
}

interface PreparedQueryInternals {
  joinsNotNullableMap: unknown;
  queryWithCache(text: string, params: unknown[], query: () => Promise<Result>): Promise<Result>;
}

/**
 * The prepared statement drizzle-dsql hands to Drizzle: it runs through its
 * session's gate on every execution (a cache hit after the first).
 */
export class DsqlPreparedQuery<T extends PreparedQueryConfig> extends PgPreparedQuery<T> {
  static override readonly [entityKind]: string = "DsqlPreparedQuery";

  constructor(
    private readonly session: StatementRunner,
    private readonly queryString: string,
    private readonly params: unknown[],
    private readonly fields: SelectedFieldsOrdered | undefined,
    private readonly name: string | undefined,
    private readonly arrayMode: boolean,
    private readonly customResultMapper: ((rows: unknown[][]) => T["execute"]) | undefined,
    cache: Cache | undefined,
    queryMetadata:
      | { type: "select" | "update" | "delete" | "insert"; tables: string[] }
      | undefined,
    cacheConfig: CacheConfig,
  ) {
    super({ sql: queryString, params }, cache, queryMetadata, cacheConfig);
    this.#cacheless = cache === undefined || queryMetadata === undefined || is(cache, NoopCache);
  }

  /** Drizzle's cache layer would only run the query and wrap its error (see `runCached`). */
  readonly #cacheless: boolean;

  override async execute(placeholderValues: Record<string, unknown> = {}): Promise<T["execute"]> {
    const params = fillPlaceholders(this.params, placeholderValues);
    const rowMode = this.fields || this.customResultMapper ? "array" : undefined;
    const result = await this.session.run(this.queryString, params, rowMode, this.name, this);
    if (!rowMode) return result as T["execute"];
    const rows = result.rows as unknown as unknown[][];
    if (this.customResultMapper) return this.customResultMapper(rows);
    const fields = this.fields as SelectedFieldsOrdered;
    return rows.map((row) =>
      mapResultRow(fields, row, this.#internals.joinsNotNullableMap),
    ) as T["execute"];
  }

  get #internals(): PreparedQueryInternals {
    return this as unknown as PreparedQueryInternals;
  }

  async all(placeholderValues: Record<string, unknown> = {}): Promise<T["all"]> {
    const params = fillPlaceholders(this.params, placeholderValues);
    const result = await this.session.run(this.queryString, params, undefined, this.name, this);
    return result.rows as T["all"];
  }

  /** @internal Runs `sender`'s query through Drizzle's cache layer and error wrapping. */
  runCached(text: string, params: unknown[], sender: StatementSender): Promise<Result> {
    if (this.#cacheless) return sendWrapped(text, params, sender);
    return this.#internals.queryWithCache(text, params, () => sender.query());
  }

  /** @internal */
  isResponseInArrayMode(): boolean {
    return this.arrayMode;
  }
}

/** What Drizzle's `queryWithCache` does without a cache: the query, its failure as `DrizzleQueryError`. */
async function sendWrapped(
  text: string,
  params: unknown[],
  sender: StatementSender,
): Promise<Result> {
  try {
    return await sender.query();
  } catch (error) {
    throw new DrizzleQueryError(text, params, error as Error);
  }
}
