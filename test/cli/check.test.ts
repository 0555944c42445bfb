import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const BP = "\n--> statement-breakpoint\n";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Captured extends CliIo {
  out: string;
  err: string;
}

function capture(cwd: string): Captured {
  const io: Captured = {
    out: "",
    err: "",
    cwd,
    isTTY: false,
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
  };
  return io;
}

/** Runs `npx <args>` with stdin closed (tsx's wrapper would otherwise hold the test worker open). */
function spawnCli(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn("npx", ["--prefix", root, ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

let dir: string;

function write(path: string, text: string): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

const CLEAN = [
  'CREATE TABLE "users" (\n\t"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,\n\t"email" text NOT NULL\n);',
  'CREATE UNIQUE INDEX ASYNC "users_email_idx" ON "users" ("email");',
].join(BP);

const BAD = [
  'CREATE TABLE "posts" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"title" text\n);',
  'CREATE INDEX "posts_title_idx" ON "posts" ("title");',
].join(BP);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dsql-check-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("drizzle-dsql check", () => {
  it("exits 0 and says so when everything is clean", async () => {
    write("drizzle/0000_init.sql", CLEAN);
    const io = capture(dir);
    expect(await main(["check", "drizzle"], io)).toBe(0);
    expect(io.out).toBe("✔ 2 statements checked, no problems\n");
    expect(io.err).toBe("");
  });

  it("reports file:line:col  error  message  rule and exits 1", async () => {
    write("drizzle/0000_init.sql", CLEAN);
    write("drizzle/0001_posts.sql", BAD);
    const io = capture(dir);
    expect(await main(["check", "drizzle"], io)).toBe(1);
    const lines = io.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^drizzle\/0001_posts\.sql:2:7 {2}error {2}type "serial" does not exist on DSQL .* {2}no-serial$/,
    );
    expect(lines[1]).toBe(
      "drizzle/0001_posts.sql:6:1  error  unsupported mode. please use CREATE INDEX ASYNC.  index-async",
    );
    expect(lines.at(-1)).toBe("✖ 2 problems (2 errors, 0 warnings)");
  });

  it("checks ./drizzle by default, skipping meta/ and node_modules", async () => {
    write("drizzle/0000_init.sql", CLEAN);
    write("drizzle/meta/0000_snapshot.sql", "TRUNCATE t;");
    write("drizzle/node_modules/x/y.sql", "TRUNCATE t;");
    write("drizzle/nested/0001_more.sql", "TRUNCATE t;");
    write("drizzle/notes.txt", "TRUNCATE t;");
    const io = capture(dir);
    expect(await main(["check"], io)).toBe(1);
    expect(io.out).toContain("drizzle/nested/0001_more.sql:1:1  error");
    expect(io.out).not.toContain("meta");
    expect(io.out).not.toContain("node_modules");
    expect(io.out).not.toContain("notes.txt");
    expect(io.out).toContain("✖ 1 problem (1 error, 0 warnings)");
  });

  it("checks files named on the command line, whatever their extension", async () => {
    write("a.sql", "CREATE TABLE t (id uuid PRIMARY KEY);");
    write("b.txt", "LOCK TABLE t;");
    const io = capture(dir);
    expect(await main(["check", "a.sql", "b.txt"], io)).toBe(1);
    expect(io.out).toContain("b.txt:1:1  error");
    expect(io.out).toContain("no-lock-table");
  });

  it("prints one JSON document with --json", async () => {
    write("drizzle/0000_init.sql", CLEAN);
    write("drizzle/0001_posts.sql", BAD);
    const io = capture(dir);
    expect(await main(["check", "--json"], io)).toBe(1);
    const doc = JSON.parse(io.out) as {
      files: { path: string; diagnostics: { rule: string; line: number; column: number }[] }[];
      errorCount: number;
      warningCount: number;
    };
    expect(doc.errorCount).toBe(2);
    expect(doc.warningCount).toBe(0);
    expect(doc.files.map((f) => f.path)).toEqual([
      "drizzle/0000_init.sql",
      "drizzle/0001_posts.sql",
    ]);
    expect(doc.files[0]?.diagnostics).toEqual([]);
    expect(doc.files[1]?.diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([
      ["no-serial", 2, 7],
      ["index-async", 6, 1],
    ]);
  });

  it("does not fail on warnings", async () => {
    write("m.sql", 'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (a > 0) NOT VALID;');
    const io = capture(dir);
    expect(await main(["check", "m.sql"], io)).toBe(0);
    expect(io.out).toContain("m.sql:1:21  warning");
    expect(io.out).toContain("✖ 1 problem (0 errors, 1 warning)");
    const json = capture(dir);
    expect(await main(["check", "m.sql", "--json"], json)).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ errorCount: 0, warningCount: 1 });
  });

  it("turns on the json column rule with --forbid-json", async () => {
    write("s.sql", "CREATE TABLE s (id uuid PRIMARY KEY, doc jsonb);");
    expect(await main(["check", "s.sql"], capture(dir))).toBe(0);
    const io = capture(dir);
    expect(await main(["check", "s.sql", "--forbid-json"], io)).toBe(1);
    expect(io.out).toContain("no-json-column");
  });

  it("reports syntax errors as problems, not crashes", async () => {
    write("x.sql", "SELECT 1;\nCREATE TABEL t (a int);");
    const io = capture(dir);
    expect(await main(["check", "x.sql"], io)).toBe(1);
    expect(io.out).toMatch(/^x\.sql:2:8 {2}error {2}syntax error at or near "TABEL" {2}syntax$/m);
  });

  it("exits 2 with a message on usage errors", async () => {
    const unknown = capture(dir);
    expect(await main(["check", "--fix"], unknown)).toBe(2);
    expect(unknown.err).toContain('unknown option "--fix"');

    const missing = capture(dir);
    expect(await main(["check", "nope.sql"], missing)).toBe(2);
    expect(missing.err).toContain("no such file or folder: nope.sql");

    const noDefault = capture(dir);
    expect(await main(["check"], noDefault)).toBe(2);
    expect(noDefault.err).toContain("./drizzle does not exist");
    expect(noDefault.out).toBe("");
  });

  it("runs as a real process: npx tsx src/cli/main.ts check ...", async () => {
    write("drizzle/0000_init.sql", CLEAN);
    write("drizzle/0001_posts.sql", BAD);
    const cli = join(root, "src", "cli", "main.ts");
    const failed = await spawnCli(["tsx", cli, "check", "drizzle"], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      "drizzle/0001_posts.sql:6:1  error  unsupported mode. please use CREATE INDEX ASYNC.  index-async",
    );
    const ok = await spawnCli(["tsx", cli, "check", "drizzle/0000_init.sql", "--json"], dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ errorCount: 0, warningCount: 0 });
  }, 90_000);
});
