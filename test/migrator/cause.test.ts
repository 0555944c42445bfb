import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { describeCause, rootCause } from "../../src/migrator/cause.js";

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
