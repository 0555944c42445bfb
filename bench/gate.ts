import { type ScopeKind, StatementGate } from "../src/driver/gate.js";
import { deparse, loadParser, parseStatements } from "../src/sql/parser.js";
import { buildTenantRegistry } from "../src/tenant/index.js";
import { bulkInsertText, GATE_TEXTS } from "./gate-texts.js";
import { schema } from "./schema.js";
import { median, nowMs, p95 } from "./stats.js";

/** Per-call cost of one gate path, µs. */
export interface GateResult {
  text: string;
  path: string;
  /** "miss" (new text each call), "hit" (repeated text, cache holding the round's misses), "hit, 1 text cached" or "parse+deparse". */
  mode: "miss" | "hit" | "hit, 1 text cached" | "parse+deparse";
  medianUs: number;
  p95Us: number;
}

export interface BulkTextCost {
  rows: number;
  textKiB: number;
  astKiB: number;
  parseMs: number;
  twinMissMs: number;
  tenantMissMs: number;
}

export interface GateReport {
  results: GateResult[];
  bulk: BulkTextCost;
}

export interface GateOptions {
  rounds: number;
  missOps: number;
  hitOps: number;
}

interface GatePath {
  name: string;
  scope: ScopeKind;
  make(): StatementGate;
}

const registry = buildTenantRegistry(schema, { column: "tenant_id" });

const PATHS: GatePath[] = [
  {
    name: "unscoped twin",
    scope: "default",
    make: () =>
      new StatementGate({ enforce: true, local: true, tenant: undefined, cacheSize: 2000 }),
  },
  {
    name: 'rules "off"',
    scope: "default",
    make: () =>
      new StatementGate({ enforce: false, local: true, tenant: undefined, cacheSize: 2000 }),
  },
  {
    name: "tenant scope",
    scope: "tenant",
    make: () =>
      new StatementGate({ enforce: true, local: true, tenant: registry, cacheSize: 2000 }),
  },
];

const HIT_BATCH = 1000;

/**
 * Times `StatementGate.plan()`: on a fresh gate with a new text each call
 * (miss: parse, rules, tenant rewrite and verify, deparse), and on one
 * repeated text (hit: the LRU lookup), plus parse+deparse alone.
 */
export async function runGate(options: GateOptions): Promise<GateReport> {
  await loadParser();
  const results: GateResult[] = [];
  let n = 1;
  for (const t of GATE_TEXTS) {
    for (const path of PATHS) {
      const miss: number[] = [];
      const hit: number[] = [];
      const hitSmall: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        const gate = path.make();
        for (let k = 0; k < options.missOps; k++) {
          const text = t.text(n++);
          const start = nowMs();
          gate.plan(text, path.scope);
          miss.push((nowMs() - start) * 1000);
        }
        const repeated = t.text(1);
        gate.plan(repeated, path.scope);
        for (let b = 0; b < options.hitOps / HIT_BATCH; b++) {
          const start = nowMs();
          for (let k = 0; k < HIT_BATCH; k++) gate.plan(repeated, path.scope);
          hit.push(((nowMs() - start) * 1000) / HIT_BATCH);
        }
        const small = path.make();
        small.plan(repeated, path.scope);
        for (let b = 0; b < options.hitOps / HIT_BATCH; b++) {
          const start = nowMs();
          for (let k = 0; k < HIT_BATCH; k++) small.plan(repeated, path.scope);
          hitSmall.push(((nowMs() - start) * 1000) / HIT_BATCH);
        }
      }
      results.push({
        text: t.name,
        path: path.name,
        mode: "miss",
        medianUs: median(miss),
        p95Us: p95(miss),
      });
      results.push({
        text: t.name,
        path: path.name,
        mode: "hit",
        medianUs: median(hit),
        p95Us: p95(hit),
      });
      results.push({
        text: t.name,
        path: path.name,
        mode: "hit, 1 text cached",
        medianUs: median(hitSmall),
        p95Us: p95(hitSmall),
      });
    }
    const alone: number[] = [];
    for (let k = 0; k < options.missOps * options.rounds; k++) {
      const text = t.text(n++);
      const start = nowMs();
      const [stmt] = parseStatements(text);
      if (stmt) deparse(stmt.node);
      alone.push((nowMs() - start) * 1000);
    }
    results.push({
      text: t.name,
      path: "pgsql-parser",
      mode: "parse+deparse",
      medianUs: median(alone),
      p95Us: p95(alone),
    });
  }
  return { results, bulk: bulkCost() };
}

/** What one batchInsert statement (3,000 rows) costs the gate on a miss, and how big its cached tree is. */
function bulkCost(): BulkTextCost {
  const text = bulkInsertText(3000);
  const time = (fn: () => void) => {
    const samples: number[] = [];
    for (let k = 0; k < 3; k++) {
      const start = nowMs();
      fn();
      samples.push(nowMs() - start);
    }
    return median(samples);
  };
  const [stmt] = parseStatements(text);
  return {
    rows: 3000,
    textKiB: text.length / 1024,
    astKiB: JSON.stringify(stmt?.node).length / 1024,
    parseMs: time(() => parseStatements(text)),
    twinMissMs: time(() => (PATHS[0] as GatePath).make().plan(text, "default")),
    tenantMissMs: time(() => (PATHS[2] as GatePath).make().plan(text, "tenant")),
  };
}
