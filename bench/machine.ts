import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where and with what the numbers were taken. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  versions: Record<string, string>;
  loadAtStart: number[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function packageVersion(name: string): string {
  try {
    const path = join(root, "node_modules", name, "package.json");
    return String((JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version);
  } catch {
    return "?";
  }
}

export function machineInfo(): MachineInfo {
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "?",
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    versions: {
      "drizzle-dsql": own.version,
      "drizzle-orm": packageVersion("drizzle-orm"),
      pg: packageVersion("pg"),
      "@electric-sql/pglite": packageVersion("@electric-sql/pglite"),
      "pgsql-parser": packageVersion("pgsql-parser"),
    },
    loadAtStart: loadavg(),
  };
}
