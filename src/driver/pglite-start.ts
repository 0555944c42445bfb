import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type { PGlite, PGliteOptions } from "@electric-sql/pglite";
import {
  dropSnapshot,
  pruneSnapshots,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "./snapshot-cache.js";

/**
 * Parses `pglite://memory` or `pglite://<dir>` into PGlite's data location:
 * `undefined` for memory, else the folder resolved from the current directory.
 */
export function pgliteDataDir(connection: string): string | undefined {
  const rest = connection.slice("pglite://".length);
  if (rest === "" || rest === "memory" || rest === "memory/") return undefined;
  return resolve(rest);
}

/**
 * Everything drizzle-dsql passes to PGlite that shapes what initdb writes
 * (user, database, extensions, initdb parameters). Part of the cache key, so
 * a change here never loads a data directory built with other settings.
 */
const INITDB_OPTIONS: PGliteOptions = {
  // 1 MiB WAL segments instead of 16: the data directory every start loads
  // holds one segment, mostly zeros (40 MB became 31 MB).
  initDbStartParams: ["--wal-segsize=1"],
};

/**
 * What {@link slimDataDir} does to a fresh data directory before it is
 * cached; part of the cache key with {@link INITDB_OPTIONS}, so that a change
 * here never loads an entry slimmed otherwise.
 */
const SLIMMING = "no-templates,current-wal-only";

/**
 * PostgreSQL settings for every start, on top of PGlite's own. PGlite's
 * single-user start leaves the startup-progress timeout armed: a timer that
 * re-arms itself every `log_startup_progress_interval` (10 s) and keeps Node's
 * event loop alive for as long as the instance is open, though nothing is
 * pending. Turning the report off turns the timer off, so an open instance
 * with no server on it (a test database made ahead) never holds the process.
 */
const START_SETTINGS = ["log_startup_progress_interval=0"];

/**
 * In memory, the "disk" is memory too: PostgreSQL's buffer cache holds a
 * second copy of pages, and allocating and clearing PGlite's default 128 MB of
 * it was a quarter of every start. A page evicted from 16 MB is a copy back
 * into memory, not a disk write. Folders keep the default.
 */
const IN_MEMORY_SETTINGS = ["shared_buffers=16MB"];

/** `startParams` with our settings added, or `{}` if this PGlite does not expose its defaults. */
function startOptions(pglite: unknown, inMemory: boolean): PGliteOptions {
  const defaults = (pglite as { defaultStartParams?: unknown }).defaultStartParams;
  if (!Array.isArray(defaults)) return {};
  const settings = inMemory ? [...START_SETTINGS, ...IN_MEMORY_SETTINGS] : START_SETTINGS;
  return { startParams: [...defaults, ...settings.flatMap((s) => ["-c", s])] };
}

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
  const options = createHash("sha256")
    .update(JSON.stringify([INITDB_OPTIONS, SLIMMING]))
    .digest("hex");
  return `pglite-${pgliteVersion()}-pristine-${options.slice(0, 12)}`;
}

/** The runtime's WebAssembly (this project's TypeScript lib leaves the DOM's out). */
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: {
    compile(bytes: Uint8Array): Promise<NonNullable<PGliteOptions["pgliteWasmModule"]>>;
  };
};

/**
 * A stand-in for a `Blob` over bytes already in memory. PGlite reads its
 * `loadDataDir` and `fsBundle` options only through `arrayBuffer()` (and
 * `type`); a real Blob made from a Buffer hands the bytes back through a
 * stream, a copy that cost a tenth of a warm start. `copy`: a fresh buffer per
 * call, for consumers that may keep and write into it (the file-system bundle
 * becomes file contents in place); PGlite copies a tarball's files out.
 */
function inMemoryBlob(bytes: Uint8Array, copy: boolean): Blob {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const arrayBuffer = async () => (copy || !whole ? new Uint8Array(bytes).buffer : bytes.buffer);
  return { type: "application/x-tar", size: bytes.byteLength, arrayBuffer } as unknown as Blob;
}

let pgliteModule: Promise<typeof import("@electric-sql/pglite")> | undefined;

/** PGlite's module: imported on first use, in parallel with reading its files. */
function loadPgliteModule(): Promise<typeof import("@electric-sql/pglite")> {
  pgliteModule ??= import("@electric-sql/pglite");
  return pgliteModule;
}

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
    return { pgliteWasmModule: await wasmApi.compile(wasm), fsBundle: inMemoryBlob(data, true) };
  })().catch(() => ({}));
  return assets;
}

let pristine: { path: string; tarball: Promise<Uint8Array | undefined> } | undefined;

/** The cached pristine data directory, read and verified once per process and cache folder. */
function pristineSnapshot(): Promise<Uint8Array | undefined> {
  const path = snapshotPath(pristineKey());
  if (pristine?.path !== path) pristine = { path, tarball: readSnapshot(pristineKey()) };
  return pristine.tarball;
}

/**
 * Cuts a fresh data directory down to what the twin uses, before it is
 * cached: every start loads it, and its size was most of a warm start (the
 * bytes read, hashed, untarred file by file into PGlite's memory file system,
 * then collected). initdb leaves three copies of the same catalog
 * (`template0`, `template1`, `postgres`) and seven WAL segments; the twin
 * refuses CREATE DATABASE as DSQL does, so the templates serve nothing
 * (DSQL's own catalog lists only `postgres`), and WAL segments past the
 * current one are spares PostgreSQL recycled ahead and recreates when it
 * needs them. 31 MB in 1,004 files become 9.5 MB in about 400.
 */
async function slimDataDir(db: PGlite): Promise<void> {
  for (const template of ["template0", "template1"]) {
    await db.exec(`ALTER DATABASE ${template} IS_TEMPLATE false`);
    await db.exec(`DROP DATABASE ${template}`);
  }
  // Segments before the checkpoint's are removed by it, not renamed ahead.
  await db.exec("SET wal_recycle = off");
  await db.exec("CHECKPOINT");
  const { rows } = await db.query<{ dir: string; current: string }>(
    "SELECT current_setting('data_directory') || '/pg_wal' AS dir, pg_walfile_name(pg_current_wal_lsn()) AS current",
  );
  const { dir, current } = rows[0] as { dir: string; current: string };
  const fs = db.Module.FS;
  for (const name of fs.readdir(dir)) {
    if (/^[0-9A-F]{24}$/.test(name) && name > current) fs.unlink(`${dir}/${name}`);
  }
  await db.exec("RESET wal_recycle");
}

/** Runs initdb, then dumps the fresh data directory into the cache for later starts. */
async function initAndCache(create: (options: PGliteOptions) => Promise<PGlite>): Promise<PGlite> {
  const db = await create({});
  // Where it can: a step this PGlite refuses leaves a larger, valid directory.
  await slimDataDir(db).catch(() => {});
  const tarball = new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer());
  pristine = { path: snapshotPath(pristineKey()), tarball: Promise.resolve(tarball) };
  // Entries of other PGlite versions or settings, unused for a week, go.
  pruneSnapshots("pglite-");
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
 * Starts, in the background, what {@link openPglite} will need: PGlite's
 * module, its compiled WebAssembly and bundle, and (`pristine`) the cached
 * pristine data directory. Called as soon as an embedded pool is made, so
 * that reading and compiling overlap with importing PGlite.
 */
export function prefetchPglite(pristineNeeded: boolean): void {
  loadPgliteModule().catch(() => {}); // openPglite reports a failed import
  pgliteAssets();
  if (pristineNeeded) pristineSnapshot();
}

/**
 * Opens PGlite in memory (`dataDir` undefined) or in a folder.
 * - `snapshot`: load that data directory (a test database's migrated state).
 * - A folder holding a database opens it as it is.
 * - Otherwise the pristine data directory is loaded from the cache instead of
 *   running initdb (seconds); the first start on a machine runs initdb and
 *   fills the cache. A cached entry that fails to load is dropped and rebuilt.
 * - `background`: a start made ahead, that nothing waits for yet.
 */
export function openPglite(
  dataDir: string | undefined,
  snapshot?: Uint8Array,
  background = false,
): Promise<PGlite> {
  const started = startPglite(dataDir, snapshot);
  // A start nobody waits for yet (a spare made ahead) must not keep the process alive.
  return background ? started : awaitedStart(started);
}

/**
 * Keeps Node's event loop alive until the returned function is called. Each
 * time the loop runs out of handles, Node waits for every background task V8
 * has queued before it goes on; during a PGlite start those are the
 * optimising compiles of its WebAssembly, and the start stalled on them for
 * 80 to 120 ms with the main thread idle (strace showed it in a futex wait
 * until a compile thread finished). PGlite's start is promise chains with no
 * handle of its own, so the loop ran dry.
 */
function holdEventLoop(): () => void {
  const timer = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(timer);
}

/**
 * `start`, a PGlite start that someone now waits for, with the event loop held
 * until it settles (see {@link holdEventLoop}); a test database takes a spare
 * still loading through this.
 */
export function awaitedStart<T>(start: Promise<T>): Promise<T> {
  const release = holdEventLoop();
  start.then(release, release);
  return start;
}

async function startPglite(dataDir: string | undefined, snapshot?: Uint8Array): Promise<PGlite> {
  const shared = pgliteAssets();
  const { PGlite } = await loadPgliteModule();
  const create = async (options: PGliteOptions) =>
    PGlite.create({
      ...INITDB_OPTIONS,
      ...(await shared),
      ...startOptions(PGlite, dataDir === undefined),
      dataDir,
      ...options,
    });
  if (snapshot) return create({ loadDataDir: inMemoryBlob(snapshot, false) });
  if (dataDir && !isEmptyFolder(dataDir)) return create({});
  const cached = await pristineSnapshot();
  if (!cached) return initAndCache(create);
  try {
    return await create({ loadDataDir: inMemoryBlob(cached, false) });
  } catch {
    dropSnapshot(pristineKey());
    pristine = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    return initAndCache(create);
  }
}
