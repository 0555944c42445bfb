/**
 * The A-only oracle through the public driver, on a real backend: `ab` holds
 * tenants A and B, `alone` holds only A's rows (same ids, tenant_id defaults
 * to 'A'). A statement run by tenant A on `ab` must either be refused with
 * TenantScopeError, leaving everything as it was, or behave exactly like the
 * statement run as written on `alone`, with B's rows untouched.
 */
import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { drizzle, TenantScopeError, withoutTenant, withTenant } from "../../src/index.js";
import { freshConnection } from "../support/databases.js";

export const customers = pgTable("customers", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  email: text("email"),
});
export const orders = pgTable("orders", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  customerId: integer("customer_id").references(() => customers.id),
  total: integer("total"),
  status: text("status"),
  number: bigint("number", { mode: "number" }),
});
/** Items reference orders in the schema AND in the database (a real FK). */
export const items = pgTable("items", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  orderId: integer("order_id").references(() => orders.id),
  qty: integer("qty"),
});
/** A writable global that scoped accounts reference, with cascades in the database. */
export const plans = pgTable("plans", {
  id: integer("id").primaryKey(),
  name: text("name"),
});
export const accounts = pgTable("accounts", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  planId: integer("plan_id").references(() => plans.id, {
    onDelete: "cascade",
    onUpdate: "cascade",
  }),
});
/** A writable global that nothing references. */
export const notes = pgTable("notes", { id: integer("id").primaryKey(), body: text("body") });

export const schema = { customers, orders, items, plans, accounts, notes };

function ddl(tenantDefault: string): string[] {
  const t = `tenant_id text NOT NULL ${tenantDefault}`;
  return [
    `CREATE TABLE customers (id integer PRIMARY KEY, ${t}, email text)`,
    `CREATE TABLE orders (id integer PRIMARY KEY, ${t}, customer_id integer, total integer, status text, number bigint)`,
    `CREATE TABLE items (id integer PRIMARY KEY, ${t}, order_id integer REFERENCES orders (id), qty integer)`,
    "CREATE TABLE plans (id integer PRIMARY KEY, name text)",
    `CREATE TABLE accounts (id integer PRIMARY KEY, ${t}, plan_id integer REFERENCES plans (id) ON DELETE CASCADE ON UPDATE CASCADE)`,
    "CREATE TABLE notes (id integer PRIMARY KEY, body text)",
    "CREATE INDEX orders_tenant ON orders (tenant_id, id)",
    "CREATE SEQUENCE order_numbers",
    `CREATE FUNCTION customer_email(cid integer) RETURNS text LANGUAGE sql AS 'SELECT email FROM customers WHERE id = cid'`,
    `CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1'`,
    // Reads no table (so the app may declare it) but raises on overflow; so cheap the planner runs it first.
    `CREATE FUNCTION fits(a integer, b integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE COST 0.0001 AS 'BEGIN RETURN a + b > 0; END'`,
  ];
}

const A_ROWS = [
  "INSERT INTO customers (id, tenant_id, email) VALUES (1, 'A', 'ann@a'), (2, 'A', 'bob@a')",
  "INSERT INTO orders (id, tenant_id, customer_id, total, status, number) VALUES (1, 'A', 1, 10, 'open', 1), (2, 'A', 2, 20, 'paid', 2)",
  "INSERT INTO items (id, tenant_id, order_id, qty) VALUES (1, 'A', 1, 3)",
  "INSERT INTO plans (id, name) VALUES (1, 'free'), (2, 'pro')",
  "INSERT INTO accounts (id, tenant_id, plan_id) VALUES (1, 'A', 1)",
  "INSERT INTO notes (id, body) VALUES (1, 'hello')",
];
/** B's rows: a large total (the error-oracle target), a status that is no valid regex, an order A's items could point at. */
const B_ROWS = [
  "INSERT INTO customers (id, tenant_id, email) VALUES (11, 'B', 'secret@b')",
  "INSERT INTO orders (id, tenant_id, customer_id, total, status, number) VALUES (101, 'B', 11, 1234567, 'open', 3), (102, 'B', 11, 0, '(', 4)",
  "INSERT INTO items (id, tenant_id, order_id, qty) VALUES (201, 'B', 101, 5)",
  "INSERT INTO accounts (id, tenant_id, plan_id) VALUES (11, 'B', 1), (12, 'B', 2)",
];

/** B's largest total: what the error-oracle attacks try to learn. */
export const B_MAX_TOTAL = 1234567;

type Db = ReturnType<typeof drizzle<typeof schema>>;
/** A transaction handle of the oracle databases, scoped or not. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A statement to run: SQL, or a function of the handle (the query builder). */
export type Query = SQL | ((t: Tx) => Promise<unknown>);

/** What running a statement did: its rows and every table afterwards, or the error's SQLSTATE. */
export type Outcome =
  | { refused: true; message: string }
  | { error: string }
  | { rows: unknown[]; a: string[]; b: string[]; globals: string[] };

export interface AttackOracle {
  ab: Db;
  alone: Db;
  /** Runs `query` as tenant A on `ab` inside a rolled-back transaction. */
  scoped(query: Query): Promise<Outcome>;
  /** Runs `query` unscoped on `alone` inside a rolled-back transaction. */
  asAlone(query: Query): Promise<Outcome>;
  /** Every table of `ab` now. */
  snapshotAb(): Promise<Snapshot>;
  close(): Promise<void>;
}

export interface Snapshot {
  a: string[];
  b: string[];
  globals: string[];
}

const TABLES = ["customers", "orders", "items", "plans", "accounts", "notes"];

async function snapshot(db: Db | Tx): Promise<Snapshot> {
  const out: Snapshot = { a: [], b: [], globals: [] };
  for (const table of TABLES) {
    const result = await db.execute(sql.raw(`SELECT * FROM ${table} ORDER BY id`));
    for (const row of result.rows as Record<string, unknown>[]) {
      const line = `${table}:${JSON.stringify(row)}`;
      if (!("tenant_id" in row)) out.globals.push(line);
      else if (row.tenant_id === "B") out.b.push(line);
      else out.a.push(line);
    }
  }
  return out;
}

class Rollback extends Error {}

function codeOf(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = e.cause;
  }
  return String(error);
}

async function run(db: Db, tenant: string | undefined, query: Query): Promise<Outcome> {
  let outcome: Outcome | undefined;
  try {
    await db.transaction(async (tx) => {
      const handle = tenant === undefined ? withoutTenant(tx) : withTenant(tx, tenant);
      let rows: unknown[];
      try {
        const result =
          typeof query === "function" ? await query(handle) : await handle.execute(query);
        rows = Array.isArray(result)
          ? result
          : ((result as { rows?: unknown[] } | undefined)?.rows ?? []);
      } catch (error) {
        outcome =
          error instanceof TenantScopeError
            ? { refused: true, message: error.message }
            : { error: codeOf(error) };
        throw new Rollback();
      }
      const after = await snapshot(withoutTenant(tx));
      outcome = { rows: rows.map((r) => JSON.stringify(r)).sort(), ...after };
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) {
      outcome ??=
        error instanceof TenantScopeError
          ? { refused: true, message: error.message }
          : { error: codeOf(error) };
    }
  }
  if (!outcome) throw new Error("the statement produced no outcome");
  return outcome;
}

/** Opens the two databases on `backend` and loads them. */
export async function openAttackOracle(backend: "pglite" | "postgres"): Promise<AttackOracle> {
  const abConn = await freshConnection(backend);
  const aloneConn = await freshConnection(backend);
  const open = (connection: string) =>
    drizzle({
      connection: { connectionString: connection, max: 2 },
      schema,
      dsqlRules: "off",
      tenant: {
        column: "tenant_id",
        writableGlobals: [plans, notes],
        functions: ["add_one", "fits"],
      },
    });
  const ab = open(abConn.connection);
  const alone = open(aloneConn.connection);
  for (const statement of [...ddl(""), ...A_ROWS, ...B_ROWS])
    await withoutTenant(ab).execute(sql.raw(statement));
  for (const statement of [...ddl("DEFAULT 'A'"), ...A_ROWS])
    await withoutTenant(alone).execute(sql.raw(statement));
  return {
    ab,
    alone,
    scoped: (query) => run(ab, "A", query),
    asAlone: (query) => run(alone, undefined, query),
    snapshotAb: () => snapshot(withoutTenant(ab)),
    async close() {
      await ab.$close();
      await alone.$close();
      await abConn.drop();
      await aloneConn.drop();
    },
  };
}

/**
 * The oracle's verdict: refused (and nothing changed), or the same outcome as
 * A alone with B's rows and the globals as A alone leaves them.
 */
export function verdict(scoped: Outcome, alone: Outcome, before: Snapshot): "refused" | "same" {
  if ("refused" in scoped) return "refused";
  if ("error" in scoped || "error" in alone || "refused" in alone) {
    if (JSON.stringify(scoped) !== JSON.stringify(alone)) {
      throw new Error(
        `scoped ${JSON.stringify(scoped)} differs from alone ${JSON.stringify(alone)}`,
      );
    }
    return "same";
  }
  const problems: string[] = [];
  if (JSON.stringify(scoped.rows) !== JSON.stringify(alone.rows))
    problems.push(`rows ${JSON.stringify(scoped.rows)} != ${JSON.stringify(alone.rows)}`);
  if (JSON.stringify(scoped.a) !== JSON.stringify(alone.a))
    problems.push(`A's rows ${JSON.stringify(scoped.a)} != ${JSON.stringify(alone.a)}`);
  if (JSON.stringify(scoped.b) !== JSON.stringify(before.b))
    problems.push(`B's rows changed: ${JSON.stringify(scoped.b)}`);
  if (JSON.stringify(scoped.globals) !== JSON.stringify(alone.globals))
    problems.push(`globals ${JSON.stringify(scoped.globals)} != ${JSON.stringify(alone.globals)}`);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return "same";
}

/** A describe block's oracle, and every table of `ab` as it was before its tests. */
export interface AttackFixture {
  oracle: AttackOracle;
  before: Snapshot;
}

/**
 * Opens an oracle on `backend` before the describe block's tests and closes
 * it after them; read the fixture inside a test (it is filled in beforeAll).
 */
export function useAttackOracle(backend: "pglite" | "postgres", skip: boolean): AttackFixture {
  const fixture = {} as AttackFixture;
  beforeAll(async () => {
    if (skip) return;
    fixture.oracle = await openAttackOracle(backend);
    fixture.before = await fixture.oracle.snapshotAb();
  }, 120_000);
  afterAll(async () => {
    if (!skip) await fixture.oracle.close();
  });
  return fixture;
}

/** One test per case: tenant A's statement is refused and leaves every row as it was. */
export function itRefusesEach(
  cases: Record<string, Query>,
  fixture: AttackFixture,
  skip: boolean,
): void {
  for (const [label, query] of Object.entries(cases)) {
    it.skipIf(skip)(`refuses: ${label}`, async () => {
      const outcome = await fixture.oracle.scoped(query);
      expect(outcome).toMatchObject({ refused: true });
      expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
    });
  }
}

/** One test per case: tenant A's statement runs (is not refused) and does exactly what it does on A alone. */
export function itMatchesAloneEach(
  cases: Record<string, Query>,
  fixture: AttackFixture,
  skip: boolean,
): void {
  for (const [label, query] of Object.entries(cases)) {
    it.skipIf(skip)(`runs, as on A alone: ${label}`, async () => {
      const scoped = await fixture.oracle.scoped(query);
      expect(scoped).not.toHaveProperty("refused");
      const alone = await fixture.oracle.asAlone(query);
      expect(verdict(scoped, alone, fixture.before)).toBe("same");
      expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
    });
  }
}
