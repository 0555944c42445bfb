import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayContains } from "../../src/index.js";
import { lintSql } from "../../src/lint/lint.js";
import { transformSql } from "../../src/lint/transform.js";
import { migrate } from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { events, posts, tenants, users } from "../fixtures/kit-history/schema/v3.js";
import { openDb, resetDb } from "../migrator/support.js";
import { backends } from "../support/databases.js";
import {
  historyFolder,
  KIT_RELEASES,
  type KitRelease,
  kitWorkspace,
  runGenerate,
  SCHEMA_STAGES,
  useStage,
} from "../support/kit-releases.js";

const made: string[] = [];

beforeAll(async () => {
  await loadParser();
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function sqlFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".sql"))
    .sort();
}

const BREAKPOINT = /-->\s*statement-breakpoint/;

/** What drizzle-kit wrote, rewritten by transformSql into a migrations folder of its own. */
function transformed(release: KitRelease) {
  const source = historyFolder(release);
  const target = mkdtempSync(join(tmpdir(), `kit-${release.name}-`));
  made.push(target);
  cpSync(source, target, { recursive: true });
  let emitted = 0;
  let after = 0;
  const errors: string[] = [];
  for (const file of sqlFiles(source)) {
    const input = readFileSync(join(source, file), "utf8");
    emitted += input.split(BREAKPOINT).filter((s) => s.trim() !== "").length;
    const out = transformSql(input);
    for (const d of out.diagnostics.filter((x) => x.severity === "error"))
      errors.push(`${file}: [${d.rule}] ${d.message}`);
    for (const d of lintSql(out.sql).filter((x) => x.severity === "error"))
      errors.push(`${file} after transform: [${d.rule}] ${d.message}`);
    after += out.statements.length;
    writeFileSync(join(target, file), out.sql);
  }
  return { folder: target, emitted, after, errors };
}

describe.each(KIT_RELEASES)("drizzle-kit $name's history of the fixture schema", (release) => {
  it("is what that release generates for the schema's stages (regenerating changes nothing)", async () => {
    const dir = kitWorkspace(release);
    try {
      cpSync(historyFolder(release), join(dir, "drizzle"), { recursive: true });
      useStage(dir, SCHEMA_STAGES[SCHEMA_STAGES.length - 1] as string);
      const output = await runGenerate(dir, release);
      expect(output).toContain("No schema changes");
      expect(sqlFiles(join(dir, "drizzle"))).toHaveLength(SCHEMA_STAGES.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("transforms to statements that lint clean, with nothing refused", () => {
    const { emitted, after, errors } = transformed(release);
    console.log(
      `drizzle-kit ${release.name}: ${emitted} statements emitted, ${after} after transformSql`,
    );
    expect(errors).toEqual([]);
    expect(after).toBeGreaterThanOrEqual(emitted);
  });
});

describe.each(backends)("every release's history applied on $name", ({ name, skip }) => {
  let opened: Awaited<ReturnType<typeof openDb>> | undefined;
  beforeAll(async () => {
    if (!skip) opened = await openDb(name);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it.skipIf(skip).each(KIT_RELEASES)(
    "drizzle-kit $name: migrates in order, a second run is a no-op, and rows read back with the schema's types",
    async (release) => {
      const { folder } = transformed(release);
      if (!opened) throw new Error("no database");
      const { db } = opened;
      await resetDb(db);
      const first = await migrate(db, { migrationsFolder: folder });
      expect(first.migrations).toHaveLength(SCHEMA_STAGES.length);
      const second = await migrate(db, { migrationsFolder: folder });
      expect(second).toEqual({ applied: 0, alreadyApplied: 0, migrations: [], warnings: [] });

      const [tenant] = await db.insert(tenants).values({ name: "acme" }).returning();
      if (!tenant) throw new Error("no tenant");
      const [written] = await db
        .insert(users)
        .values({ tenantId: tenant.id, email: "a@x", tags: ["a", "b,c"], mood: "sad" })
        .returning();
      const [defaulted] = await db
        .insert(users)
        .values({ tenantId: tenant.id, email: "b@x" })
        .returning();
      expect(written?.id).toBeTypeOf("number");
      expect(written?.tags).toEqual(["a", "b,c"]);
      expect(defaulted).toMatchObject({ tags: [], mood: "happy", profile: {}, age: 18 });
      expect(defaulted?.createdAt).toBeInstanceOf(Date);
      const [post] = await db
        .insert(posts)
        .values({ userId: written?.id ?? 0, title: "t", meta: { n: 1 } })
        .returning();
      expect(post).toMatchObject({ views: 0, published: false, meta: { n: 1 } });
      const [event] = await db
        .insert(events)
        .values({ postId: post?.id, kind: "view" })
        .returning();
      expect(event?.id).toBeTypeOf("number");

      const read = await db.select().from(users).where(eq(users.email, "a@x"));
      expect(read).toEqual([written]);
      const tagged = await db
        .select()
        .from(users)
        .where(arrayContains(users.tags, ["b,c"]));
      expect(tagged.map((u) => u.email)).toEqual(["a@x"]);
      const withA = await db
        .select()
        .from(users)
        .where(arrayContains(users.tags, ["a"]));
      expect(withA.map((u) => u.email)).toEqual(["a@x"]);
      await expect(
        db.insert(users).values({ tenantId: tenant.id, email: "c@x", mood: "angry" as "sad" }),
      ).rejects.toThrow();
    },
    120_000,
  );
});
