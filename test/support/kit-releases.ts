import { spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";

/** A drizzle-kit release installed side by side (npm aliases), with the drizzle-orm it pairs with. */
export interface KitRelease {
  /** Short name, also the fixture folder: `0.20`. */
  name: string;
  /** The npm alias of drizzle-kit in node_modules. */
  kit: string;
  /** The npm alias of the drizzle-orm release it accepts (kits refuse other API versions). */
  orm: string;
  /** The generate command's arguments (0.20 had one command per dialect). */
  generate: string[];
}

const MODERN = ["generate", "--dialect=postgresql"];

/** The releases the fixture histories span: old DO-block output through today's. */
export const KIT_RELEASES: readonly KitRelease[] = [
  { name: "0.20", kit: "drizzle-kit-0-20", orm: "drizzle-orm-0-30", generate: ["generate:pg"] },
  { name: "0.22", kit: "drizzle-kit-0-22", orm: "drizzle-orm-0-31", generate: MODERN },
  { name: "0.24", kit: "drizzle-kit-0-24", orm: "drizzle-orm-0-33", generate: MODERN },
  { name: "0.31", kit: "drizzle-kit", orm: "drizzle-orm", generate: MODERN },
];

/** The evolving fixture schema: one file per stage, applied in order. */
export const SCHEMA_STAGES = ["v1.ts", "v2.ts", "v3.ts"];

const ROOT = resolve(".");
const SCHEMA_DIR = join(ROOT, "test/fixtures/kit-history/schema");

/** Where a release's committed history lives (drizzle-kit's `out` folder). */
export function historyFolder(release: KitRelease): string {
  return join(ROOT, "test/fixtures/kit-history", release.name, "drizzle");
}

/**
 * A scratch project for one release: node_modules holding that kit and its
 * drizzle-orm as `drizzle-kit` / `drizzle-orm`, run with preserved symlinks
 * so the kit's version check sees its own drizzle-orm.
 */
export function kitWorkspace(release: KitRelease): string {
  mkdirSync(join(ROOT, "scratch"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "scratch", `kit-${release.name}-`));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules", release.kit), join(dir, "node_modules", "drizzle-kit"));
  symlinkSync(join(ROOT, "node_modules", release.orm), join(dir, "node_modules", "drizzle-orm"));
  cpSync(join(SCHEMA_DIR, "compat.ts"), join(dir, "compat.ts"));
  return dir;
}

/** Puts a stage's schema in the workspace as `schema.ts` (kits load it with esbuild-register). */
export function useStage(dir: string, stage: string): void {
  const text = readFileSync(join(SCHEMA_DIR, stage), "utf8").replaceAll(
    '"./compat.js"',
    '"./compat"',
  );
  writeFileSync(join(dir, "schema.ts"), text);
}

/**
 * Runs the release's `generate` in a pseudo-terminal (kits ask about renames
 * interactively); every "created or renamed" question is answered "renamed
 * from" the first candidate. Resolves with the kit's output.
 */
export function runGenerate(dir: string, release: KitRelease): Promise<string> {
  const command = [
    "node --preserve-symlinks --preserve-symlinks-main node_modules/drizzle-kit/bin.cjs",
    ...release.generate,
    "--schema=./schema.ts --out=./drizzle",
  ].join(" ");
  return new Promise((resolvePromise, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: dir });
    let output = "";
    let answered = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const asked = output.split("created or renamed").length - 1;
      if (asked > answered) {
        answered = asked;
        setTimeout(() => child.stdin.write("\u001b[B\r"), 200);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`drizzle-kit ${release.name} generate exited ${code}:\n${output}`));
    });
  });
}

/** Generates a release's whole history from the schema stages into `historyFolder`. */
export async function regenerateHistory(release: KitRelease): Promise<void> {
  const dir = kitWorkspace(release);
  try {
    for (const stage of SCHEMA_STAGES) {
      useStage(dir, stage);
      await runGenerate(dir, release);
    }
    const target = historyFolder(release);
    rmSync(target, { recursive: true, force: true });
    cpSync(join(dir, "drizzle"), target, { recursive: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
