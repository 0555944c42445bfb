import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open, utimes } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * A file cache of PGlite data-directory dumps (tarballs). Each entry is one
 * file: a header line `dsql-snapshot 1 <sha256> <bytes>` and the tarball.
 * Writers write a temporary file and rename it into place, so readers in
 * other processes see a whole entry or none; readers check the checksum and
 * treat a damaged entry as missing. The cache only ever saves time: a folder
 * that cannot be written leaves every start as slow as without it.
 */

const MAGIC = "dsql-snapshot 1";

/**
 * The cache folder: `DRIZZLE_DSQL_CACHE_DIR`, else `$XDG_CACHE_HOME/drizzle-dsql`,
 * else `~/.cache/drizzle-dsql`.
 */
export function snapshotCacheDir(): string {
  const override = process.env.DRIZZLE_DSQL_CACHE_DIR;
  if (override) return resolve(override);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "drizzle-dsql");
}

/** The file that holds the entry `key` (a file-name-safe string). */
export function snapshotPath(key: string): string {
  return join(snapshotCacheDir(), `${key}.snapshot`);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The cached tarball for `key` (its bytes, held in memory: a `Blob` would
 * copy them out again through a stream at every load), or `undefined` when
 * missing or damaged.
 */
export async function readSnapshot(key: string): Promise<Uint8Array | undefined> {
  let body: Uint8Array;
  let digest: string | undefined;
  try {
    const file = await open(snapshotPath(key), "r");
    try {
      const head = Buffer.alloc(200);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const newline = head.subarray(0, bytesRead).indexOf(10);
      if (newline < 0) return undefined;
      const [magic, version, sum, bytes] = head.subarray(0, newline).toString("latin1").split(" ");
      const size = Number(bytes);
      const { size: fileSize } = await file.stat();
      if (`${magic} ${version}` !== MAGIC || !Number.isSafeInteger(size)) return undefined;
      if (fileSize !== newline + 1 + size) return undefined;
      // A buffer of its own (offset 0, exact length): PGlite takes it as it is.
      body = new Uint8Array(size);
      let done = 0;
      while (done < size) {
        const { bytesRead: got } = await file.read(body, done, size - done, newline + 1 + done);
        if (got === 0) return undefined;
        done += got;
      }
      digest = sum;
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
  if (sha256(body) !== digest) return undefined;
  const now = new Date();
  await utimes(snapshotPath(key), now, now).catch(() => {}); // marks it in use for pruning
  return body;
}

/** Stores `tarball` as the entry `key`, atomically; `false` if the folder is not writable. */
export async function writeSnapshot(key: string, tarball: Uint8Array | Blob): Promise<boolean> {
  const body =
    tarball instanceof Uint8Array ? tarball : new Uint8Array(await tarball.arrayBuffer());
  const path = snapshotPath(key);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(snapshotCacheDir(), { recursive: true });
    const header = Buffer.from(`${MAGIC} ${sha256(body)} ${body.length}\n`, "latin1");
    writeFileSync(temp, Buffer.concat([header, body]));
    renameSync(temp, path);
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable: nothing was written.
    }
    return false;
  }
}

/** Entries unused this long are pruned (see {@link pruneSnapshots}). */
const UNUSED_MS = 7 * 24 * 3600_000;

/**
 * Removes entries whose key starts with `prefix` that nobody read or wrote
 * for a week: every edit of a migrations folder makes a new test-database
 * entry, and the old ones would pile up. Entries being read are never lost:
 * a reader holds the whole file in memory before it loads it.
 */
export function pruneSnapshots(prefix: string): void {
  const dir = snapshotCacheDir();
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      const path = join(dir, name);
      if (Date.now() - statSync(path).mtimeMs > UNUSED_MS) rmSync(path, { force: true });
    }
  } catch {
    // A folder that cannot be listed has nothing of ours to prune.
  }
}

/** Removes the entry `key` (one that loaded but did not work). */
export function dropSnapshot(key: string): void {
  rmSync(snapshotPath(key), { force: true });
}
