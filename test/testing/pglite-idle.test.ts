import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedServer } from "../../src/driver/pglite-server.js";
import { openPglite } from "../../src/driver/pglite-start.js";
import { whenQuiet } from "../../src/testing/pglite-idle.js";

describe("whenQuiet: when a handed-out PGlite leaves the thread free for a spare's load", () => {
  it("waits for the first message, then for a quiet spell; close fires it too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dsql-idle-"));
    const db = await openPglite(undefined);
    let fired = 0;
    whenQuiet(db, 300, () => fired++);
    const server = await startEmbeddedServer("pglite://memory", 2, join(dir, ".s.PGSQL.5432"), () =>
      Promise.resolve(db),
    );
    try {
      await sleep(120);
      expect(fired).toBe(0); // nothing served yet: the pool may still be connecting
      const client = new pg.Client({ host: dir, port: 5432, user: "postgres" });
      await client.connect();
      await client.query("select 1");
      expect(fired).toBe(0); // just served
      await sleep(800);
      expect(fired).toBe(1);
      await client.end();
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(fired).toBe(1); // once only, close included

    const other = await openPglite(undefined);
    let closed = 0;
    whenQuiet(other, 10_000, () => closed++);
    await other.close();
    expect(closed).toBe(1);
  });
});
