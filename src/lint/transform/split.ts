/** drizzle-kit's statement separator. */
export const BREAKPOINT = "--> statement-breakpoint";

/** One stretch of input between breakpoints. */
export interface Chunk {
  /** The text, as written. */
  text: string;
  /** 0-based offset of `text` in the input. */
  offset: number;
}

/** The comment line drizzle-dsql writes above a statement it refused. */
export const MARKER = "-- drizzle-dsql:";

/** Splits input at drizzle-kit's `--> statement-breakpoint` markers. */
export function splitChunks(input: string): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 0;
  for (;;) {
    const at = input.indexOf(BREAKPOINT, offset);
    if (at < 0) {
      chunks.push({ text: input.slice(offset), offset });
      return chunks;
    }
    chunks.push({ text: input.slice(offset, at), offset });
    offset = at + BREAKPOINT.length;
  }
}

/** Removes marker comments drizzle-dsql wrote earlier (so transforming again is stable). */
export function stripMarkers(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith(MARKER))
    .join("\n");
}

/** 1-based line and column of an offset. */
export function lineColumn(input: string, offset: number): { line: number; column: number } {
  const before = input.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
