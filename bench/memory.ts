import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export interface MemoryResult {
  mode: "baseline" | "generator" | "array";
  rows: number;
  maxRssKiB: number;
  seconds: number;
}

const here = dirname(fileURLToPath(import.meta.url));

function runChild(mode: string, url: string, rows: number): Promise<MemoryResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(here, "memory-child.ts"), mode, url, String(rows)],
      { cwd: join(here, ".."), maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error)
          return reject(new Error(`memory child ${mode} failed: ${stderr || error.message}`));
        const line = stdout.trim().split("\n").pop() ?? "";
        resolve(JSON.parse(line) as MemoryResult);
      },
    );
  });
}

/**
 * Peak RSS of child processes: one that only connects, one that loads `rows`
 * rows with batchInsert from a generator, and (for contrast) one that builds
 * the rows as an array first. The table is emptied before each load.
 */
export async function runMemory(url: string, rows: number): Promise<MemoryResult[]> {
  const truncate = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("TRUNCATE bench_entities");
    await client.end();
  };
  const out: MemoryResult[] = [];
  out.push(await runChild("baseline", url, 0));
  for (const mode of ["generator", "array"] as const) {
    await truncate();
    const result = await runChild(mode, url, rows);
    out.push(result);
  }
  await truncate();
  return out;
}
