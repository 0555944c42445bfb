import { causeChain } from "../driver/retry.js";

/** The deepest explanation on an error's `.cause` chain. */
export interface RootCause {
  /** The root error's own message (`connect ECONNREFUSED 127.0.0.1:1`). */
  message: string;
  /** Its errno-style code (`ECONNREFUSED`, `ENOTFOUND`, `DEPTH_ZERO_SELF_SIGNED_CERT`) or SQLSTATE (`28P01`). */
  code: string | undefined;
  /** What the code means for a user, when it is a known connection failure. */
  hint: string | undefined;
}

const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

const ERRNO_HINTS: Record<string, string> = {
  ECONNREFUSED: "nothing accepts connections at that host and port: is the database running?",
  ENOTFOUND: "the host name does not resolve: check the host in the URL",
  EAI_AGAIN:
    "the host name could not be resolved (DNS unavailable): check the host and the network",
  ETIMEDOUT: "the connection timed out: check the host, port and firewall",
  EHOSTUNREACH: "the host is unreachable: check the host and the network",
  ENETUNREACH: "the network is unreachable",
  ECONNRESET: "the server closed the connection",
};

const SQLSTATE_HINTS: Record<string, string> = {
  "28P01": "password authentication failed: check the user and password (or the IAM token)",
  "28000": "the server refused the role: check the user name and the server's access rules",
  "3D000": "the database does not exist: check the database name in the URL",
  "08001": "the server refused the connection",
  "08006": "the connection failed",
};

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

// Node's happy-eyeballs connect fails with an AggregateError whose own message is empty.
function messageOf(error: object): string {
  const own = error instanceof Error ? error.message : String(error);
  const inner = (error as { errors?: unknown }).errors;
  if (own !== "" || !Array.isArray(inner)) return own;
  return inner.map((e) => (e instanceof Error ? e.message : String(e))).join("; ");
}

function hintFor(code: string | undefined, message: string): string | undefined {
  if (code && ERRNO_HINTS[code]) return ERRNO_HINTS[code];
  if (code && SQLSTATE_HINTS[code]) return SQLSTATE_HINTS[code];
  if (
    (code && /CERT|^ERR_TLS|^ERR_SSL|SELF_SIGNED/.test(code)) ||
    /\b(SSL|TLS)\b|certificate/i.test(message)
  ) {
    return "the TLS handshake failed: check sslmode and the server's certificate";
  }
  if (
    /DSQL token|credential|ExpiredToken|security token|AccessDenied|not authorized/i.test(message)
  ) {
    return "no IAM token could be signed or it was refused: check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...), the region and the role's dsql:DbConnect permission";
  }
  return undefined;
}

/**
 * Finds what really went wrong beneath wrappers such as drizzle's
 * `Failed query: ...`: the deepest error on the `.cause` chain that carries
 * an errno code or SQLSTATE (else the deepest error), with a hint for known
 * connection, DNS, TLS, authentication and IAM failures.
 *
 * @example
 * ```ts
 * rootCause(error); // { message: "connect ECONNREFUSED 127.0.0.1:1", code: "ECONNREFUSED", hint: "..." }
 * ```
 */
export function rootCause(error: unknown): RootCause {
  let root: { message: string; code: string | undefined } | undefined;
  let coded: { message: string; code: string | undefined } | undefined;
  for (const e of causeChain(error)) {
    if (typeof e !== "object" || e === null) {
      root = { message: String(e), code: undefined };
      continue;
    }
    const message = messageOf(e);
    const code = codeOf(e);
    root = { message, code };
    if (code && (SQLSTATE.test(code) || /^[A-Z][A-Z0-9_]+$/.test(code))) coded = root;
  }
  const found = coded ?? root ?? { message: String(error), code: undefined };
  return { ...found, hint: hintFor(found.code, found.message) };
}

/**
 * The root cause as one line, `connect ECONNREFUSED 127.0.0.1:1 [ECONNREFUSED]:
 * nothing accepts connections ...`, for messages and the terminal.
 */
export function describeCause(error: unknown): string {
  const { message, code, hint } = rootCause(error);
  const tagged = code && !message.includes(code) ? `${message} [${code}]` : message;
  return hint ? `${tagged} (${hint})` : tagged;
}

/**
 * The error's own message, followed by its root cause when the message does
 * not already carry it (`Failed query: ...` gains `cause: connect ECONNREFUSED ...`).
 */
export function messageWithCause(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const root = rootCause(error);
  return own.includes(root.message) ? own : `${own}\n  cause: ${describeCause(error)}`;
}
