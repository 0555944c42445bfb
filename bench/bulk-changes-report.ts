import { CHANGERS, type ChangeOp, type ChangeResult, type ChangesReport } from "./bulk-changes.js";
import { median, ratio } from "./stats.js";

/** Rows per second over all runs of one changer. */
export function changeRate(r: ChangeResult | undefined): number {
  if (!r || r.seconds.length === 0) return Number.NaN;
  return r.rows / median(r.seconds);
}

export function findChange(
  c: ChangesReport,
  network: string,
  op: ChangeOp,
  changer: keyof typeof CHANGERS,
): ChangeResult | undefined {
  return c.results.find((r) => r.network === network && r.op === op && r.changer === changer);
}

/** `helper >= 1.0x the hand loop through the proxy`, per operation. */
export function changeTargets(
  c: ChangesReport,
): { target: string; measured: string; met: boolean | undefined }[] {
  return (["delete", "update"] as const).map((op) => {
    const helper = findChange(c, "proxy", op, "helper");
    const hand = findChange(c, "proxy", op, "hand");
    const rel = changeRate(helper) / changeRate(hand);
    const name = op === "delete" ? "deleteInBatches" : "updateInBatches";
    return {
      target: `${name} >= 1.0x the careful hand loop through the latency proxy (${c.tableRows} rows)`,
      measured: `${rel.toFixed(2)}x (${Math.round(changeRate(helper))} vs ${Math.round(changeRate(hand))} rows/s)`,
      met: Number.isFinite(rel) ? rel >= 1 : undefined,
    };
  });
}

function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...body.map(line)].join("\n");
}

/** The RESULTS.md section for bulk deletes and updates. */
export function changesSection(c: ChangesReport): string {
  const out = ["## Bulk changes: deleteInBatches and updateInBatches", ""];
  out.push(
    `Every row of a ${c.tableRows}-row table (integer primary key) is deleted, or updated (\`status\` and \`price_cents + 1\`), with the table refilled before each run. The seed's one-statement-per-row pattern changes only the rows shown (it is slow); its time for all ${c.tableRows} rows is extrapolated from its rate.`,
    "",
  );
  for (const network of ["loopback", "proxy"] as const) {
    out.push(
      `### ${network === "loopback" ? "Loopback" : `Through the latency proxy (${c.proxyDelayMs} ms each way)`}`,
      "",
    );
    const body: string[][] = [];
    for (const op of ["delete", "update"] as const) {
      const hand = findChange(c, network, op, "hand");
      for (const r of c.results.filter((x) => x.network === network && x.op === op)) {
        const rate = changeRate(r);
        body.push([
          op,
          CHANGERS[r.changer],
          r.rows.toString(),
          `${median(r.seconds).toFixed(2)} s`,
          `${Math.min(...r.seconds).toFixed(2)}–${Math.max(...r.seconds).toFixed(2)} s`,
          Math.round(rate).toString(),
          `${(c.tableRows / rate).toFixed(1)} s${r.rows < c.tableRows ? " (extrapolated)" : ""}`,
          ratio(rate, changeRate(hand)),
        ]);
      }
    }
    out.push(
      table(
        [
          "op",
          "changer",
          "rows",
          "median",
          "min–max",
          "rows/s",
          `time for ${c.tableRows}`,
          "speed x hand loop",
        ],
        body,
      ),
      "",
    );
  }
  return out.join("\n");
}
