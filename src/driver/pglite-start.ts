import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { dropSnapshot, readSnapshot, snapshotPath, writeSnapshot } from "./snapshot-cache.js";

/**
 * Everything drizzle-dsql passes to PGlite that shapes what initdb writes
 * (user, database, extensions, initdb parameters). Part of the cache key, so
 * a change here never loads a data directory built with other settings.
 */
const INITDB_OPTIONS: PGliteOptions = {};

let version: string | undefined;

/** The installed `@electric-sql/pglite` version (its package.json is not exported). */
export function pgliteVersion(): string {
  if (version) return version;
  let dir = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    version?: string;
  };
  version = manifest.version ?? "unknown";
  return version;
}

/** The cache key of the pristine (just initdb'd) data directory for this PGlite. */
export function pristineKey(): string {
  const options = createHash("sha256").update(JSON.stringify(INITDB_OPTIONS)).digest("hex");
  return `pglite-${pgliteVersion()}-pristine-${options.slice(0, 12)}`;
}

/** The runtime's WebAssembly (this project's TypeScript lib leaves the DOM's out). */
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: {
    compile(bytes: Uint8Array): Promise<NonNullable<PGliteOptions["pgliteWasmModule"]>>;
  };
};

let assets: Promise<Pick<PGliteOptions, "pgliteWasmModule" | "fsBundle">> | undefined;

/**
 * PGlite's WebAssembly module, compiled, and its file-system bundle, loaded
 * once per process and shared by every instance (PGlite would otherwise read
 * and compile them per instance). Started early, in parallel with reading the
 * cache; `{}` (PGlite loads its own) if this PGlite lays its files out otherwise.
 */
function pgliteAssets(): Promise<Pick<PGliteOptions, "pgliteWasmModule" | "fsBundle">> {
  assets ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
    const [wasm, data] = await Promise.all([
      readFile(join(dist, "pglite.wasm")),
      readFile(join(dist, "pglite.data")),
    ]);
    return { pgliteWasmModule: await wasmApi.compile(wasm), fsBundle: new Blob([data]) };
  })().catch(() => ({}));
  return assets;
}

let pristine: { path: string; tarball: Promise<Blob | undefined> } | undefined;

/** The cached pristine data directory, read and verified once per process and cache folder. */
function pristineSnapshot(): Promise<Blob | undefined> {
  const path = snapshotPath(pristineKey());
  if (pristine?.path !== path) pristine = { path, tarball: readSnapshot(pristineKey()) };
  return pristine.tarball;
}

/** Runs initdb, then dumps the fresh data directory into the cache for later starts. */
async function initAndCache(create: (options: PGliteOptions) => Promise<PGlite>): Promise<PGlite> {
  const db = await create({});
  const tarball = await db.dumpDataDir("none");
  pristine = { path: snapshotPath(pristineKey()), tarball: Promise.resolve(tarball) };
  await writeSnapshot(pristineKey(), tarball);
  return db;
}

/**
 * Fills the pristine cache if it holds no valid entry, so that the processes
 * started next (test workers, say) all start warm instead of each running
 * initdb at once.
 */
export async function warmPristineCache(): Promise<void> {
  if (await pristineSnapshot()) return;
  const db = await openPglite(undefined);
  await db.close();
}

function isEmptyFolder(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Opens PGlite in memory (`dataDir` undefined) or in a folder.
 * - `snapshot`: load that data directory (a test database's migrated state).
 * - A folder holding a database opens it as it is.
 * - Otherwise the pristine data directory is loaded from the cache instead of
 *   running initdb (seconds); the first start on a machine runs initdb and
 *   fills the cache. A cached entry that fails to load is dropped and rebuilt.
 */
export async function openPglite(dataDir: string | undefined, snapshot?: Blob): Promise<PGlite> {
  const shared = pgliteAssets();
  const create = async (options: PGliteOptions) =>
    PGlite.create({ ...INITDB_OPTIONS, ...(await shared), dataDir, ...options });
  if (snapshot) return create({ loadDataDir: snapshot });
  if (dataDir && !isEmptyFolder(dataDir)) return create({});
  const cached = await pristineSnapshot();
  if (!cached) return initAndCache(create);
  try {
    return await create({ loadDataDir: cached });
  } catch {
    dropSnapshot(pristineKey());
    pristine = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    return initAndCache(create);
  }
}
