import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, runCliInTerminal } from "../support/cli.js";

const USERS = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: uuid("id").primaryKey(), name: text("name") });
`;
const RENAMED = USERS.replace('name: text("name")', 'fullName: text("full_name")');

let dir = "";

function write(file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

function journalTags(): string[] {
  const path = join(dir, "drizzle", "meta", "_journal.json");
  return (JSON.parse(readFileSync(path, "utf8")) as { entries: { tag: string }[] }).entries.map(
    (e) => e.tag,
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dsql-generate-cli-"));
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
  write("package.json", JSON.stringify({ name: "app", type: "module" }));
  write(
    "drizzle.config.ts",
    `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./schema.ts", out: "./drizzle" });\n`,
  );
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("drizzle-dsql generate as a process", () => {
  it("passes drizzle-kit's rename question to a terminal and writes the rename the user chose", async () => {
    write("schema.ts", USERS);
    expect((await runCli(["generate", "--name", "init"], dir)).code).toBe(0);
    write("schema.ts", RENAMED);
    let asked = false;
    const run = await runCliInTerminal(["generate", "--name", "rename"], dir, (screen) => {
      if (asked || !/rename column/.test(screen)) return undefined;
      asked = true;
      return ["\u001b[B", "\r"]; // down to "name › full_name rename column", enter
    });
    expect(run.screen).toContain("created or renamed from another column?");
    expect(run.code, run.screen).toBe(0);
    expect(readFileSync(join(dir, "drizzle", "0001_rename.sql"), "utf8")).toContain(
      'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";',
    );
    expect(journalTags()).toEqual(["0000_init", "0001_rename"]);
  }, 60_000);

  it("off a terminal, a rename question fails with what to do, and nothing is kept", async () => {
    write("schema.ts", USERS);
    expect((await runCli(["generate", "--name", "init"], dir)).code).toBe(0);
    const journal = readFileSync(join(dir, "drizzle", "meta", "_journal.json"), "utf8");
    write("schema.ts", RENAMED);
    const run = await runCli(["generate", "--name", "rename"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Interactive prompts require a TTY terminal");
    expect(run.stderr).toMatch(/run drizzle-dsql generate in a terminal/);
    expect(run.stderr).toMatch(/drizzle-dsql transform/);
    expect(readdirSync(join(dir, "drizzle")).sort()).toEqual(["0000_init.sql", "meta"]);
    expect(readFileSync(join(dir, "drizzle", "meta", "_journal.json"), "utf8")).toBe(journal);
  }, 60_000);

  it("a schema that throws on load exits 1 with drizzle-kit's message and leaves no empty journal", async () => {
    write("schema.ts", `${USERS}throw new Error("schema exploded on purpose");\n`);
    const run = await runCli(["generate"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/drizzle-kit failed: Error: schema exploded on purpose/);
    expect(existsSync(join(dir, "drizzle"))).toBe(false);
  }, 60_000);

  it("a schema that imports a missing module exits 1 and names it", async () => {
    write("schema.ts", `import "./not-there.js";\n${USERS}`);
    const run = await runCli(["generate"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/drizzle-kit failed: .*not-there/);
    expect(existsSync(join(dir, "drizzle"))).toBe(false);
  }, 60_000);

  it("a config that does not load exits 1 naming the file", async () => {
    write("schema.ts", USERS);
    write("drizzle.config.ts", `export default { dialect: "mysql", out: "./drizzle" };\n`);
    const run = await runCli(["generate"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /drizzle\.config\.ts: dialect is "mysql"; drizzle-dsql needs dialect "postgresql"/,
    );
  }, 60_000);
});

describe("drizzle-dsql transform", () => {
  it("rewrites drizzle-kit's own output in place, once", async () => {
    write(
      "schema.ts",
      USERS.replace('name: text("name")', 'name: text("name"), n: serial("n")').replace(
        "text, uuid",
        "serial, text, uuid",
      ),
    );
    const kit = await runCli(["transform", "--help"], dir);
    expect(kit.stdout).toContain("--dsql-foreign-keys validate|drop");
    // The user runs drizzle-kit themselves, then transform.
    const generated = spawnSync(
      process.execPath,
      [resolve("node_modules/drizzle-kit/bin.cjs"), "generate", "--name", "init"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(generated.status, generated.stderr).toBe(0);
    const file = join(dir, "drizzle", "0000_init.sql");
    expect(readFileSync(file, "utf8")).toContain('"n" serial NOT NULL');
    const first = await runCli(["transform", "drizzle/0000_init.sql"], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/drizzle\/0000_init\.sql: [1-9]\d* change\(s\) for DSQL/);
    const rewritten = readFileSync(file, "utf8");
    expect(rewritten).toContain("CREATE TABLE IF NOT EXISTS users (");
    expect(rewritten).toContain("n bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY (CACHE 65536)");
    const second = await runCli(["transform", "drizzle/0000_init.sql"], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("0 change(s)");
    expect(readFileSync(file, "utf8")).toBe(rewritten);
  }, 60_000);

  it("exits 1 and marks a refused statement; 2 for a missing file or no files", async () => {
    write("retype.sql", 'ALTER TABLE "t" ALTER COLUMN "c" SET DATA TYPE bigint;\n');
    const refused = await runCli(["transform", "retype.sql"], dir);
    expect(refused.code).toBe(1);
    expect(readFileSync(join(dir, "retype.sql"), "utf8")).toMatch(
      /-- drizzle-dsql: error \[no-alter-column-type\]/,
    );
    const missing = await runCli(["transform", "nope.sql"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file: nope.sql");
    expect((await runCli(["transform"], dir)).code).toBe(2);
  }, 60_000);
});
