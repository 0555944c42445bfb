import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let ownVersion: string | undefined;

/** drizzle-dsql's own version: a new release may migrate differently. */
function drizzleDsqlVersion(): string {
  ownVersion ??= (
    JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;
  return ownVersion;
}

function filesUnder(folder: string, prefix = ""): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(folder, path) : entry.isFile() ? [path] : [];
    })
    .sort();
}

/**
 * A short hex digest of a migrations folder: every file's path and content,
 * plus drizzle-dsql's version. Equal digests mean equal migrated databases.
 */
export function migrationsHash(folder: string): string {
  const hash = createHash("sha256").update(`drizzle-dsql ${drizzleDsqlVersion()}\0`);
  for (const path of filesUnder(folder)) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(folder, path)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}
