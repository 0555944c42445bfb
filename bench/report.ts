import type { BulkReport, BulkResult, LoaderKey } from "./bulk.js";
import { LOADERS } from "./bulk.js";
import type { ChangesReport } from "./bulk-changes.js";
import { changesSection, changeTargets } from "./bulk-changes-report.js";
import type { GateReport } from "./gate.js";
import type { MachineInfo } from "./machine.js";
import type { MemoryResult } from "./memory.js";
import { V } from "./queries.js";
import type { VariantResult } from "./query-runner.js";
import { fmtMs, median, p95, ratio } from "./stats.js";

export interface BenchResults {
  machine: MachineInfo;
  quick: boolean;
  pgVersion: string;
  settings: string[];
  queries: VariantResult[];
  bulk: BulkReport | undefined;
  changes: ChangesReport | undefined;
  gate: GateReport | undefined;
  memory: MemoryResult[] | undefined;
  loadAtEnd: number[];
  totalSeconds: number;
}

/** A target and whether it was met. */
export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | undefined;
}

function find(
  rows: VariantResult[],
  backend: string,
  query: string,
  variant: string,
): VariantResult | undefined {
  return rows.find((r) => r.backend === backend && r.query === query && r.variant === variant);
}

/** Median over rounds of (variant's round median / baseline's round median): drift cancels. */
export function pairedRatio(v: VariantResult, base: VariantResult): number {
  const n = Math.min(v.roundMedians.length, base.roundMedians.length);
  const ratios: number[] = [];
  for (let r = 0; r < n; r++)
    ratios.push((v.roundMedians[r] as number) / (base.roundMedians[r] as number));
  return median(ratios);
}

function bulkRate(r: BulkResult | undefined): number {
  return r ? r.rows / median(r.seconds) : Number.NaN;
}

function findBulk(b: BulkReport, network: string, loader: LoaderKey): BulkResult | undefined {
  return b.results.find((r) => r.network === network && r.loader === loader);
}

export function targets(results: BenchResults): TargetRow[] {
  const q = results.queries;
  const rows: TargetRow[] = [];
  const latency = (variant: string, baseline: string, limit: number, label: string) => {
    const v = find(q, "PostgreSQL", "point select", variant);
    const b = find(q, "PostgreSQL", "point select", baseline);
    if (!v || !b) return;
    const paired = pairedRatio(v, b);
    rows.push({
      target: `${label} <= ${limit.toFixed(2)}x`,
      measured: `${paired.toFixed(3)}x paired (${fmtMs(median(v.latencies))} vs ${fmtMs(median(b.latencies))} median; pooled ${ratio(median(v.latencies), median(b.latencies))})`,
      met: paired <= limit,
    });
  };
  latency(
    V.tenant,
    V.stockHand,
    1.05,
    "tenant-scoped point select vs stock drizzle with hand-written tenant filter",
  );
  latency(V.twin, V.stock, 1.03, "twin gate: unscoped twin point select vs stock drizzle");
  const b = results.bulk;
  if (b) {
    const seed = findBulk(b, "proxy", "seed");
    const bi = findBulk(b, "proxy", "batchInsert");
    const speedup = bulkRate(bi) / bulkRate(seed);
    rows.push({
      target: "batchInsert >= 20x the seed's pattern through the latency proxy",
      measured: `${speedup.toFixed(1)}x (${Math.round(bulkRate(bi))} vs ${Math.round(bulkRate(seed))} rows/s)`,
      met: Number.isFinite(speedup) ? speedup >= 20 : undefined,
    });
    const hand = findBulk(b, "loopback", "handTuned");
    const biLoop = findBulk(b, "loopback", "batchInsert");
    const rel = bulkRate(biLoop) / bulkRate(hand);
    rows.push({
      target: "batchInsert at least as fast as the hand-tuned stock loader on loopback",
      measured: `${rel.toFixed(2)}x the hand-tuned rate (${Math.round(bulkRate(biLoop))} vs ${Math.round(bulkRate(hand))} rows/s)`,
      met: Number.isFinite(rel) ? rel >= 1 : undefined,
    });
    const proto = findBulk(b, "loopback", "prototype");
    const vsProto = bulkRate(biLoop) / bulkRate(proto);
    rows.push({
      target: 'batchInsert >= 0.9x the "INSERT text rendered directly" prototype on loopback',
      measured: `${vsProto.toFixed(2)}x (${Math.round(bulkRate(biLoop))} vs ${Math.round(bulkRate(proto))} rows/s)`,
      met: Number.isFinite(vsProto) ? vsProto >= 0.9 : undefined,
    });
  }
  if (results.changes) rows.push(...changeTargets(results.changes));
  return rows;
}

function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...body.map(line)].join("\n");
}

function queriesSection(results: BenchResults): string {
  const out: string[] = ["## Per-query latency and throughput", ""];
  const backends = [...new Set(results.queries.map((r) => r.backend))];
  for (const backend of backends) {
    const rows = results.queries.filter((r) => r.backend === backend);
    for (const query of [...new Set(rows.map((r) => r.query))]) {
      const of = (variant: string) => find(rows, backend, query, variant);
      const stock = of(V.stock);
      const hand = of(V.stockHand);
      const raw = of(V.raw);
      out.push(`### ${backend}: ${query}`, "");
      const body = rows
        .filter((r) => r.query === query)
        .map((r) => {
          const tenant = r.variant === V.tenant || r.variant === V.tenantPerQuery;
          return [
            r.variant,
            fmtMs(median(r.latencies)),
            fmtMs(p95(r.latencies)),
            stock ? pairedRatio(r, stock).toFixed(3) : "n/a",
            tenant && hand ? pairedRatio(r, hand).toFixed(3) : "",
            raw ? pairedRatio(r, raw).toFixed(3) : "n/a",
            Math.round(median(r.throughput)).toString(),
            stock ? ratio(median(r.throughput), median(stock.throughput)) : "n/a",
            `${median(r.cpuPerOpUs).toFixed(0)} µs`,
            stock ? ratio(median(r.cpuPerOpUs), median(stock.cpuPerOpUs)) : "n/a",
          ];
        });
      out.push(
        table(
          [
            "variant",
            "median",
            "p95",
            "x stock drizzle",
            "x stock + hand filter",
            "x raw pg",
            "ops/s (8 in flight)",
            "ops/s x stock",
            "client CPU/op",
            "CPU x stock",
          ],
          body,
        ),
        "",
      );
    }
  }
  return out.join("\n");
}

function bulkSection(b: BulkReport): string {
  const out = ["## Bulk load", ""];
  out.push(
    `Latency proxy: ${b.proxyDelayMs} ms each way requested; measured extra round trip for \`SELECT 1\`: ${b.proxyAddedRttMs.toFixed(2)} ms.`,
    "",
  );
  for (const network of ["loopback", "proxy"] as const) {
    const seed = findBulk(b, network, "seed");
    const hand = findBulk(b, network, "handTuned");
    out.push(`### ${network === "loopback" ? "Loopback" : "Through the latency proxy"}`, "");
    const body = b.results
      .filter((r) => r.network === network)
      .map((r) => [
        LOADERS[r.loader],
        r.rows.toString(),
        `${median(r.seconds).toFixed(2)} s`,
        `${Math.min(...r.seconds).toFixed(2)}–${Math.max(...r.seconds).toFixed(2)} s`,
        Math.round(bulkRate(r)).toString(),
        ratio(bulkRate(r), bulkRate(seed)),
        ratio(bulkRate(r), bulkRate(hand)),
      ]);
    out.push(
      table(
        ["loader", "rows", "median", "min–max", "rows/s", "speed x seed", "speed x hand-tuned"],
        body,
      ),
      "",
    );
  }
  out.push("### The one-transaction load through drizzle-dsql's twin", "");
  for (const r of b.refusals) {
    out.push(
      `- ${r.network}, ${r.rows} rows: \`${r.error}\` after ${r.seconds.toFixed(2)} s, ${r.rowsLeft} rows left in the table: "${r.message}"`,
    );
  }
  out.push("");
  return out.join("\n");
}

function gateSection(g: GateReport): string {
  const out = ["## Gate cost: `StatementGate.plan()`", ""];
  const texts = [...new Set(g.results.map((r) => r.text))];
  const body: string[][] = [];
  for (const text of texts) {
    for (const r of g.results.filter((x) => x.text === text)) {
      body.push([
        text,
        r.path,
        r.mode,
        `${r.medianUs.toFixed(r.mode === "miss" || r.mode === "parse+deparse" ? 1 : 3)} µs`,
        `${r.p95Us.toFixed(r.mode === "miss" || r.mode === "parse+deparse" ? 1 : 3)} µs`,
      ]);
    }
  }
  out.push(table(["statement", "path", "mode", "median", "p95"], body), "");
  const k = g.bulk;
  out.push(
    `One batchInsert statement (${k.rows} rows, ${k.textKiB.toFixed(0)} KiB of SQL, parse tree ~${k.astKiB.toFixed(0)} KiB as JSON): parse ${k.parseMs.toFixed(1)} ms; plan() miss ${k.twinMissMs.toFixed(1)} ms on the twin, ${k.tenantMissMs.toFixed(1)} ms in a tenant scope.`,
    "",
  );
  return out.join("\n");
}

function memorySection(m: MemoryResult[]): string {
  const base = m.find((r) => r.mode === "baseline");
  const body = m.map((r) => [
    r.mode === "baseline"
      ? "baseline: connect + one query"
      : r.mode === "generator"
        ? "batchInsert from a generator"
        : "batchInsert from an array built first (contrast)",
    r.rows.toString(),
    `${(r.maxRssKiB / 1024).toFixed(0)} MiB`,
    base && r !== base ? `+${((r.maxRssKiB - base.maxRssKiB) / 1024).toFixed(0)} MiB` : "",
    `${r.seconds.toFixed(1)} s`,
  ]);
  return [
    "## Memory",
    "",
    "Peak RSS (`process.resourceUsage().maxRSS`) of a child process (`node --import tsx bench/memory-child.ts`).",
    "",
    table(["child", "rows", "peak RSS", "over baseline", "time"], body),
    "",
  ].join("\n");
}

/** Renders bench/RESULTS.md. */
export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [
    "# drizzle-dsql benchmarks",
    "",
    `Written by \`npm run bench\` (bench/run.ts) on ${m.date}, in ${Math.round(results.totalSeconds)} s.`,
  ];
  if (results.quick)
    out.push("", "**BENCH_QUICK=1: small counts, for checking the harness only.**");
  out.push(
    "",
    "## Machine and versions",
    "",
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGiB.toFixed(1)} GiB`,
    `- Load average (1/5/15 min) at start: ${m.loadAtStart.map((x) => x.toFixed(2)).join(" / ")}; at end: ${results.loadAtEnd.map((x) => x.toFixed(2)).join(" / ")}`,
    `- Node ${m.node}; PostgreSQL server ${results.pgVersion}`,
    `- ${Object.entries(m.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join("; ")}`,
    `- Settings: ${results.settings.join("; ")}`,
    "",
    "## Targets",
    "",
    table(
      ["target", "measured", "met?"],
      targets(results).map((t) => [
        t.target,
        t.measured,
        t.met === undefined ? "n/a" : t.met ? "met" : "**not met**",
      ]),
    ),
    "",
    queriesSection(results),
  );
  if (results.bulk) out.push(bulkSection(results.bulk));
  if (results.changes) out.push(changesSection(results.changes));
  if (results.gate) out.push(gateSection(results.gate));
  if (results.memory) out.push(memorySection(results.memory));
  out.push(
    "## Method",
    "",
    "- One process, one local PostgreSQL (started as the tests do, or DATABASE_URL) and one embedded PGlite (drizzle-dsql's `pglite://memory`, served over pglite-socket). On each backend every variant shares one `pg.Pool` (max 8), so only the client code differs.",
    '- Query variants: raw `pg` (`pool.query` with the SQL drizzle renders, no tenant filter); stock `drizzle-orm/node-postgres`; stock drizzle with the tenant filter written by hand (`and(eq(t.id, id), eq(t.tenantId, tenant))`, on both tables for the join); drizzle-dsql without tenant config, twin on and `dsqlRules: "off"`; drizzle-dsql `withTenant` (one handle per tenant, made once) and, for the point select, `withTenant()` called per query. Each query is built with the query builder per call.',
    "- Each query: warmup, then several rounds. Latency: in each round the variants take turns op by op (one op in flight, the starting variant rotating), so background load on this shared machine falls on all of them alike. Throughput: then each variant runs a block with 8 in flight, in an order that rotates per round. `client CPU/op` is this process's CPU time (`process.cpuUsage()`) per op in the throughput blocks: it leaves out waiting on the server, so it shows the client-side cost of each layer with less noise (on PGlite it includes the embedded server, which runs in the same process). Latency columns are the median and p95 over all ops; the `x` columns are paired ratios: the median over rounds of (variant's round median / baseline's round median).",
    "- Bulk: the table is truncated before each load and its row count checked after. Each loader runs once per round, order rotated. The latency proxy (bench/proxy.ts) runs in the benchmark's own process on 127.0.0.1 and delays every chunk ~1 ms in each direction, keeping order; it shares the CPU with the client.",
    "- Bulk changes (bench/bulk-changes.ts): a 50,000-row table with an integer primary key is refilled before each run and every row deleted, or updated; the count is checked after. The hand loop reads the matching keys with stock drizzle, then deletes/updates `inArray` slices of 3,000 keys, one transaction each, 8 workers; the seed pattern sends one statement per row (500 per transaction, 8 workers) for a capped number of rows, and its time for the whole table is extrapolated from its rate.",
    "- Gate: `StatementGate.plan()` called directly on a fresh gate (default 2,000-entry LRU per scope); a miss is a new text each call (the `LIMIT` literal changes), a hit repeats one text (timed in batches of 1,000 calls), once with the cache holding that round's miss texts (as in a running app) and once on a gate holding only that text.",
    "- No timed assertions run in `npm test`; these numbers are from one run on a shared machine and move with its load.",
    "",
  );
  return out.join("\n");
}
