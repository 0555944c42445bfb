import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { runCli } from "../support/cli.js";

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    cwd: tmpdir(),
    isTTY: false,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

const FLAGS: Record<string, string[]> = {
  generate: [
    "--dsql-json",
    "--dsql-foreign-keys",
    "--config",
    "--name",
    "--custom",
    "--out",
    "--help",
  ],
  transform: ["--dsql-json", "--dsql-foreign-keys", "--help"],
  check: ["--json", "--forbid-json", "--config", "--help"],
  migrate: [
    "--config",
    "--url",
    "--migrations-folder",
    "--migrations-table",
    "--migrations-schema",
    "--break-stale-lock",
    "--help",
  ],
  status: [
    "--config",
    "--url",
    "--migrations-folder",
    "--migrations-table",
    "--migrations-schema",
    "--help",
  ],
};

describe("drizzle-dsql --help and --version", () => {
  for (const [command, flags] of Object.entries(FLAGS)) {
    it(`${command} --help lists every flag and exits 0 without doing anything`, async () => {
      const io = capture();
      expect(await main([command, "--help"], io)).toBe(0);
      for (const flag of flags) expect(io.out).toContain(flag);
      expect(io.err).toBe("");
      const viaHelp = capture();
      expect(await main(["help", command], viaHelp)).toBe(0);
      expect(viaHelp.out).toBe(io.out);
    });
  }

  it("migrate --help documents where the database comes from, in order", async () => {
    const io = capture();
    await main(["migrate", "--help"], io);
    const order = [
      "1. --url",
      "2. DATABASE_URL",
      "3. the config's dbCredentials",
      "4. DSQL_ENDPOINT",
    ];
    const at = order.map((line) => io.out.indexOf(line));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("the top-level help names every command; no command is a usage error", async () => {
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    for (const command of Object.keys(FLAGS)) expect(io.out).toContain(`  ${command} `);
    const none = capture();
    expect(await main([], none)).toBe(2);
    expect(none.err).toContain("Usage: drizzle-dsql <command>");
    const unknown = capture();
    expect(await main(["migrat"], unknown)).toBe(2);
    expect(unknown.err).toContain('unknown command "migrat"');
  });

  it("--version prints the package's version, as a process", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const run = await runCli(["--version"], tmpdir());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`drizzle-dsql ${version}\n`);
  }, 30_000);
});
