/**
 * drizzle-kit's migration file layout, in one place: the
 * `--> statement-breakpoint` separator between statements, and the comment
 * drizzle-dsql writes above a statement it refused to rewrite. The linter,
 * the rewriter and the migrator all read files through these.
 */

/** drizzle-kit's statement separator, as drizzle-kit writes it. */
export const BREAKPOINT = "--> statement-breakpoint";

/**
 * The separator as the linter reads it in hand-edited files: any spacing
 * after `-->`, and the rest of the line belongs to the separator.
 */
const LOOSE_BREAKPOINT = /-->\s*statement-breakpoint[^\n]*/g;

/** One stretch of input between breakpoints. */
export interface Chunk {
  /** The text, as written. */
  text: string;
  /** 0-based offset of `text` in the input. */
  offset: number;
}

/** Options of {@link splitAtBreakpoints}. */
export interface SplitOptions {
  /**
   * Also accept `-->statement-breakpoint` with other spacing, and drop what
   * follows it on its line (the linter's reading). Default: only
   * {@link BREAKPOINT} exactly, as drizzle-orm's migrator splits.
   */
  loose?: boolean;
}

/**
 * Splits input at drizzle-kit's `--> statement-breakpoint` markers. Every
 * chunk keeps its offset in the input; n markers give n + 1 chunks.
 *
 * @example
 * ```ts
 * splitAtBreakpoints("A;--> statement-breakpoint\nB;");
 * // [{ text: "A;", offset: 0 }, { text: "\nB;", offset: 26 }]
 * ```
 */
export function splitAtBreakpoints(input: string, options: SplitOptions = {}): Chunk[] {
  const chunks: Chunk[] = [];
  let from = 0;
  for (const { at, end } of breakpoints(input, options.loose === true)) {
    chunks.push({ text: input.slice(from, at), offset: from });
    from = end;
  }
  chunks.push({ text: input.slice(from), offset: from });
  return chunks;
}

function* breakpoints(input: string, loose: boolean): Generator<{ at: number; end: number }> {
  if (loose) {
    for (const match of input.matchAll(LOOSE_BREAKPOINT)) {
      yield { at: match.index, end: match.index + match[0].length };
    }
    return;
  }
  let at = input.indexOf(BREAKPOINT);
  while (at >= 0) {
    yield { at, end: at + BREAKPOINT.length };
    at = input.indexOf(BREAKPOINT, at + BREAKPOINT.length);
  }
}

/** Where the token starting at `i` (a comment, quoted text or dollar quote) ends; `i` when none starts. */
function skipToken(text: string, i: number): number {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === "-" && next === "-") {
    const end = text.indexOf("\n", i);
    return end < 0 ? text.length : end + 1;
  }
  if (ch === "/" && next === "*") {
    let depth = 1;
    let j = i + 2;
    while (j < text.length && depth > 0) {
      if (text.startsWith("/*", j)) depth++;
      else if (text.startsWith("*/", j)) depth--;
      j += text.startsWith("/*", j) || text.startsWith("*/", j) ? 2 : 1;
    }
    return j;
  }
  if (ch === "'" || ch === '"') {
    const escapes = ch === "'" && /[eE]/.test(text[i - 1] ?? "");
    let j = i + 1;
    while (j < text.length) {
      if (escapes && text[j] === "\\") j += 2;
      else if (text[j] === ch && text[j + 1] === ch) j += 2;
      else if (text[j] === ch) return j + 1;
      else j++;
    }
    return text.length;
  }
  if (ch === "$" && !/[A-Za-z0-9_]/.test(text[i - 1] ?? "")) {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))?.[0];
    if (!tag) return i;
    const end = text.indexOf(tag, i + tag.length);
    return end < 0 ? text.length : end + tag.length;
  }
  return i;
}

/**
 * Splits a chunk on top-level semicolons, minding quotes, dollar quotes and
 * comments, without parsing it: pieces holding only comments and spaces are
 * dropped; offsets stay those of the whole input. The linter uses it to parse
 * statement by statement, so one bad statement does not hide the others.
 */
export function splitAtSemicolons(piece: Chunk): Chunk[] {
  const { text } = piece;
  const out: Chunk[] = [];
  let start = 0;
  let hasCode = false;
  const push = (end: number) => {
    if (hasCode) out.push({ text: text.slice(start, end), offset: piece.offset + start });
    start = end + 1;
    hasCode = false;
  };
  let i = 0;
  while (i < text.length) {
    const after = skipToken(text, i);
    if (after > i) {
      if (!text.startsWith("--", i) && !text.startsWith("/*", i)) hasCode = true;
      i = after;
      continue;
    }
    if (text[i] === ";") push(i);
    else if (!/\s/.test(text[i] ?? "")) hasCode = true;
    i++;
  }
  push(text.length);
  return out;
}

/** The start of every comment line drizzle-dsql writes into a migration. */
export const MARKER = "-- drizzle-dsql:";

/**
 * The marker of a refused statement, as the migrator finds it: a
 * `-- drizzle-dsql: error` line (any spacing); group 1 is the rest of the line.
 */
const REFUSAL = /^\s*--\s*drizzle-dsql:\s*error\b(.*)$/m;

/** The marker line written above a statement refused under `rule`. */
export function refusalLine(rule: string, message: string): string {
  return `${MARKER} error [${rule}] ${message.replace(/\s*\n\s*/g, " ")}`;
}

/** Whether a line is a drizzle-dsql marker comment. */
export function isMarkerLine(line: string): boolean {
  return line.trimStart().startsWith(MARKER);
}

/** Removes marker comments drizzle-dsql wrote earlier (so transforming again is stable). */
export function stripMarkers(text: string): string {
  return text
    .split("\n")
    .filter((line) => !isMarkerLine(line))
    .join("\n");
}

/** Replaces marker comments with spaces, keeping every other offset in place. */
export function blankMarkers(text: string): string {
  return text
    .split("\n")
    .map((line) => (isMarkerLine(line) ? " ".repeat(line.length) : line))
    .join("\n");
}

/**
 * The first refusal marker in a file, or undefined: what follows
 * `-- drizzle-dsql: error` on its line (` [rule] message`).
 */
export function findRefusal(text: string): string | undefined {
  const found = REFUSAL.exec(text);
  return found ? (found[1] ?? "") : undefined;
}
