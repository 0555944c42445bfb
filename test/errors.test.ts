import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { describeCause, errorForRule, rootCause } from "../src/errors.js";
import { DsqlError, DsqlLimitError, DsqlUnsupportedError } from "../src/index.js";
import * as migrator from "../src/migrator.js";

/** A real failed connect: a port that was free a moment ago. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

describe("rootCause", () => {
  it("reads the message of an AggregateError (happy-eyeballs connect) from its errors", async () => {
    const port = await refusedPort();
    const { connect } = await import("node:net");
    const failure = await new Promise<Error>((done) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.on("error", done);
    });
    const aggregate = Object.assign(new AggregateError([failure, failure], ""), {
      code: "ECONNREFUSED",
    });
    const wrapped = new Error("Failed query: select 1", { cause: aggregate });
    expect(rootCause(wrapped)).toMatchObject({ code: "ECONNREFUSED" });
    expect(describeCause(wrapped)).toContain(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("keeps a cycle in the cause chain from hanging", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(describeCause(a)).toBe("b");
  });
});

describe("errors.ts", () => {
  it("is a leaf: it imports only drizzle-orm", () => {
    const text = readFileSync(new URL("../src/errors.ts", import.meta.url), "utf8");
    const from = [...text.matchAll(/^import[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    expect(from.length).toBeGreaterThan(0);
    expect(from.filter((f) => !f?.startsWith("drizzle-orm"))).toEqual([]);
  });

  it("gives every Migration* error of ./migrator the MigrationError base and its own name", () => {
    const classes = Object.entries(migrator).filter(
      ([name, value]) => name.startsWith("Migration") && typeof value === "function",
    );
    expect(classes.map(([name]) => name)).toContain("MigrationLockHeldError");
    for (const [name, value] of classes) {
      expect((value as { prototype: unknown }).prototype, name).toBeInstanceOf(DsqlError);
      if (name === "MigrationError") continue;
      expect((value as { prototype: unknown }).prototype, name).toBeInstanceOf(
        migrator.MigrationError,
      );
    }
    const error = new migrator.MigrationLockTimeoutError("run 1", 2000);
    expect(error.name).toBe("MigrationLockTimeoutError");
    expect(error).toBeInstanceOf(migrator.MigrationError);
    expect(new migrator.MigrationFileError("bad journal").name).toBe("MigrationFileError");
  });
});

describe("errorForRule", () => {
  it("turns a limit rule into DsqlLimitError and adds the detail", () => {
    const error = errorForRule(
      { rule: "transaction-row-limit", message: "too many rows", sqlstate: "54000", limit: true },
      "3001 rows",
    );
    expect(error).toBeInstanceOf(DsqlLimitError);
    expect(error).toMatchObject({
      rule: "transaction-row-limit",
      code: "54000",
      message: "too many rows (3001 rows)",
    });
  });

  it("turns any other rule into DsqlUnsupportedError with the rule's SQLSTATE", () => {
    const error = errorForRule({
      rule: "no-serial",
      message: "serial is not supported",
      sqlstate: "42704",
      limit: false,
    });
    expect(error).toBeInstanceOf(DsqlUnsupportedError);
    expect(error).not.toBeInstanceOf(DsqlLimitError);
    expect(error).toMatchObject({
      rule: "no-serial",
      code: "42704",
      message: "serial is not supported",
    });
  });
});
