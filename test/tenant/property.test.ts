import { integer, pgTable, text } from "drizzle-orm/pg-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantScopeError } from "../../src/errors.js";
import { type ParsedStatement, parseStatements } from "../../src/sql/parser.js";
import { bindTenant } from "../../src/tenant/bind.js";
import { planTenantSql } from "../../src/tenant/plan.js";
import { REFERENCE_MARKER } from "../../src/tenant/references.js";
import { buildTenantRegistry } from "../../src/tenant/registry.js";
import { assertNotScoped } from "../../src/tenant/unscoped.js";
import {
  DECLARED_FUNCTIONS,
  FUNCTION_DDL,
  type GeneratedStatement,
  generateStatement,
} from "./generator.js";
import { bag, type Oracle, openOracle, products, tags } from "./oracle.js";

/**
 * How many random statements to check; TENANT_PROPERTY_RUNS overrides (the
 * default keeps the file well under a minute on a loaded 2-core machine).
 */
const RUNS = Number(process.env.TENANT_PROPERTY_RUNS ?? 600);
const SEED = process.env.TENANT_PROPERTY_SEED
  ? Number(process.env.TENANT_PROPERTY_SEED)
  : undefined;

/** The oracle schema with its references declared (orders → customers, items → orders). */
const customers = pgTable("customers", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name"),
  region: text("region"),
});
const orders = pgTable("orders", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  customerId: integer("customer_id").references(() => customers.id),
  total: integer("total"),
  status: text("status"),
});
const items = pgTable("items", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  orderId: integer("order_id").references(() => orders.id),
  productId: integer("product_id"),
  qty: integer("qty"),
});
const registry = buildTenantRegistry(
  { customers, orders, items, products, tags },
  { column: "tenant_id", writableGlobals: [tags], functions: DECLARED_FUNCTIONS },
);

/** Reference columns: child table → [column, parent table]. */
const REFERENCES: Record<string, [string, string]> = {
  orders: ["customer_id", "customers"],
  items: ["order_id", "orders"],
};

/**
 * Rows of A's whose reference a write set (added rows, or a changed reference
 * value) to a parent A does not have (B's, or none): what a scoped write must
 * never leave behind. A's seed has one such row already (item 5 → order 101).
 */
function danglingWrites(before: readonly string[], after: readonly string[]): string[] {
  const parse = (lines: readonly string[]) =>
    lines.map((line) => {
      const space = line.indexOf(" ");
      const row = JSON.parse(line.slice(space + 1)) as Record<string, unknown>;
      return { line, table: line.slice(0, space), row };
    });
  const rows = parse(after);
  const ids = new Set(rows.map(({ table, row }) => `${table}:${row.id}`));
  const old = new Map(
    parse(before).map(({ table, row }) => [
      `${table}:${row.id}`,
      row[REFERENCES[table]?.[0] ?? ""],
    ]),
  );
  return rows
    .filter(({ table, row }) => {
      const ref = REFERENCES[table];
      if (ref === undefined) return false;
      const value = row[ref[0]];
      const key = `${table}:${row.id}`;
      if (value === null || (old.has(key) && old.get(key) === value)) return false;
      return !ids.has(`${ref[1]}:${value}`);
    })
    .map((p) => p.line);
}

const SNAPSHOT = `
  SELECT t, tenant, body FROM (
    SELECT 'customers' AS t, tenant_id AS tenant, row_to_json(x)::text AS body FROM customers x
    UNION ALL SELECT 'orders', tenant_id, row_to_json(x)::text FROM orders x
    UNION ALL SELECT 'items', tenant_id, row_to_json(x)::text FROM items x
    UNION ALL SELECT 'products', NULL, row_to_json(x)::text FROM products x
    UNION ALL SELECT 'tags', NULL, row_to_json(x)::text FROM tags x) s
  ORDER BY 1, 3`;

interface Snapshot {
  a: string[];
  b: string[];
  globals: string[];
}

type Db = Oracle["ab"];

async function snapshot(db: Db): Promise<Snapshot> {
  const { rows } = await db.query<{ t: string; tenant: string | null; body: string }>(SNAPSHOT);
  const out: Snapshot = { a: [], b: [], globals: [] };
  for (const row of rows) {
    const line = `${row.t} ${row.body}`;
    if (row.tenant === null) out.globals.push(line);
    else if (row.tenant === "B") out.b.push(line);
    else out.a.push(row.tenant === "A" ? line : `${line} [tenant ${row.tenant}]`);
  }
  return out;
}

type Outcome =
  | { rows: string[]; error?: undefined; code?: undefined }
  | { rows?: undefined; error: string; code?: string };

/**
 * The A-only run raised a data error (overflow, division by zero, bad regex
 * or cast: SQLSTATE class 22) that the scoped run did not. The A-only planner
 * folds a raising expression over constants before any row is read, or
 * pushes a join condition on one side down into that side's scan; the
 * scope's fences (OFFSET 0, guards) keep it per row or per joined pair, so it
 * runs on fewer rows. Raising less is no leak as long as B's rows change
 * nothing: the caller checks the scoped text gives the same rows on A alone.
 */
function foldedRaise(alone: Outcome, scoped: Outcome): boolean {
  return alone.code?.startsWith("22") === true && scoped.rows !== undefined;
}

async function read(db: Db, sql: string, params: unknown[]): Promise<Outcome> {
  try {
    const result = await db.query(sql, params, { rowMode: "array" });
    return { rows: bag(result.rows) };
  } catch (error) {
    return { error: (error as Error).message, code: (error as { code?: string }).code };
  }
}

async function write(
  db: Db,
  sql: string,
  params: unknown[],
): Promise<Outcome & { after?: Snapshot }> {
  await db.query("BEGIN");
  try {
    const result = await db.query(sql, params, { rowMode: "array" });
    return { rows: bag(result.rows), after: await snapshot(db) };
  } catch (error) {
    return { error: (error as Error).message, code: (error as { code?: string }).code };
  } finally {
    await db.query("ROLLBACK");
  }
}

describe("tenant scope property: random statements never leak", () => {
  let oracle: Oracle;
  let before: Snapshot;
  const stats = {
    cases: 0,
    reads: 0,
    writes: 0,
    refused: 0,
    refusedAtBind: 0,
    errors: 0,
    refusedReference: 0,
    foldedRaise: 0,
    sensitive: 0,
    plainAllowed: 0,
  };
  const errorSamples: string[] = [];

  beforeAll(async () => {
    oracle = await openOracle();
    await oracle.ab.exec(FUNCTION_DDL);
    await oracle.a.exec(FUNCTION_DDL);
    before = await snapshot(oracle.ab);
  }, 120_000);
  afterAll(async () => {
    await oracle.close();
  });

  async function check(stmt: GeneratedStatement): Promise<void> {
    stats.cases += 1;
    let plan: ReturnType<typeof planTenantSql>;
    try {
      plan = planTenantSql(stmt.sql, registry);
    } catch (error) {
      if (error instanceof TenantScopeError) {
        stats.refused += 1;
        if (process.env.TENANT_PROPERTY_VERBOSE)
          console.log(`refused: ${error.message} :: ${stmt.sql}`);
        return;
      }
      throw error;
    }
    let bound: unknown[];
    try {
      bound = bindTenant(plan, stmt.params, "A");
    } catch {
      stats.refusedAtBind += 1;
      return;
    }
    const context = `\n  original: ${stmt.sql}\n  planned:  ${plan.sql}\n  params:   ${JSON.stringify(stmt.params)}`;
    if (!stmt.write) {
      stats.reads += 1;
      const alone = await read(oracle.a, stmt.sql, stmt.params);
      const scoped = await read(oracle.ab, plan.sql, bound);
      if (foldedRaise(alone, scoped)) {
        stats.foldedRaise += 1;
        const plannedAlone = await read(oracle.a, plan.sql, bound);
        expect(scoped.rows, `rows differ from the scoped text on A alone${context}`).toEqual(
          plannedAlone.rows,
        );
        return;
      }
      if (alone.error !== undefined || scoped.error !== undefined) {
        stats.errors += 1;
        if (errorSamples.length < 8)
          errorSamples.push(`${alone.error ?? scoped.error} :: ${stmt.sql}`);
        expect(
          scoped.error !== undefined,
          `only one side failed (${alone.error ?? scoped.error})${context}`,
        ).toBe(alone.error !== undefined);
        return;
      }
      expect(scoped.rows, `rows differ${context}`).toEqual(alone.rows);
      const unscoped = await read(oracle.ab, stmt.sql, stmt.params);
      if (JSON.stringify(unscoped.rows) !== JSON.stringify(alone.rows)) stats.sensitive += 1;
      // The plain db's check: whatever it lets through reads no tenant's rows.
      let plainAllowed = true;
      try {
        assertNotScoped(parseStatements(stmt.sql)[0] as ParsedStatement, registry);
      } catch (error) {
        if (!(error instanceof TenantScopeError)) throw error;
        plainAllowed = false;
      }
      if (plainAllowed) {
        stats.plainAllowed += 1;
        expect(
          unscoped.rows,
          `the plain db allowed a statement that reads tenant rows${context}`,
        ).toEqual(alone.rows);
      }
      return;
    }
    stats.writes += 1;
    const alone = await write(oracle.a, stmt.sql, stmt.params);
    const scoped = await write(oracle.ab, plan.sql, bound);
    if (scoped.error?.includes(REFERENCE_MARKER)) {
      // A typed refusal at run time (the driver maps it to TenantScopeError); nothing was written.
      stats.refusedReference += 1;
      return;
    }
    if (foldedRaise(alone, scoped)) {
      stats.foldedRaise += 1;
      const plannedAlone = await write(oracle.a, plan.sql, bound);
      expect(scoped.rows, `RETURNING differs from the scoped text on A alone${context}`).toEqual(
        plannedAlone.rows,
      );
      expect(scoped.after?.b, `B's rows changed${context}`).toEqual(before.b);
      expect(scoped.after?.a, `A's rows differ from the scoped text on A alone${context}`).toEqual(
        plannedAlone.after?.a,
      );
      return;
    }
    if (alone.error !== undefined || scoped.error !== undefined) {
      stats.errors += 1;
      if (errorSamples.length < 8)
        errorSamples.push(`${alone.error ?? scoped.error} :: ${stmt.sql}`);
      expect(
        scoped.error !== undefined,
        `only one side failed (${alone.error ?? scoped.error})${context}`,
      ).toBe(alone.error !== undefined);
      return;
    }
    expect(scoped.rows, `RETURNING differs${context}`).toEqual(alone.rows);
    expect(scoped.after?.b, `B's rows changed${context}`).toEqual(before.b);
    expect(
      danglingWrites(before.a, scoped.after?.a ?? []),
      `a scoped write left a row pointing at another tenant's parent${context}`,
    ).toEqual([]);
    expect(scoped.after?.a, `A's rows differ from A alone${context}`).toEqual(alone.after?.a);
    expect(scoped.after?.globals, `global rows differ${context}`).toEqual(alone.after?.globals);
  }

  it(
    `holds for ${RUNS} random statements (reads and writes) against the PGlite oracle`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(fc.gen(), async (g) => {
          await check(generateStatement(g));
        }),
        // TENANT_PROPERTY_SEED replays a failed run (fast-check prints its seed).
        { numRuns: RUNS, endOnFailure: true, seed: SEED },
      );
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`tenant property: ${JSON.stringify(stats)} in ${seconds}s`);
      if (errorSamples.length > 0)
        console.log(`sample errors (same on both sides):\n${errorSamples.join("\n")}`);
      // The generator must mostly produce statements that run, and that would leak unscoped.
      expect(stats.errors).toBeLessThan(stats.cases * 0.25);
      expect(stats.refused + stats.refusedAtBind).toBeLessThan(stats.cases * 0.2);
      // References to B's or missing parents are drawn often enough to be refused now and then.
      expect(stats.refusedReference).toBeGreaterThan(0);
      expect(stats.foldedRaise).toBeLessThan(stats.cases * 0.03);
      expect(stats.sensitive).toBeGreaterThan(stats.reads * 0.2);
      expect(await snapshot(oracle.ab)).toEqual(before);
    },
    30 * 60_000,
  );
});
