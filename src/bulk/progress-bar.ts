/** Where a progress bar draws. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A one-line progress bar, redrawn in place on a terminal; silent elsewhere but for its last line. */
export interface ProgressBar {
  update(done: number): void;
  finish(summary?: string): void;
}

/**
 * Draws `label [#####.....] 42% 4,200/10,000` on a terminal, at most every
 * 50 ms. Off a terminal it prints only the final line, so logs stay clean.
 *
 * @example
 * ```ts
 * const bar = progressBar("orders", rows.length);
 * await batchInsert(db, orders, rows, { onProgress: (p) => bar.update(p.inserted) });
 * bar.finish();
 * ```
 */
export function progressBar(
  label: string,
  total: number,
  stream: ProgressStream = process.stdout,
): ProgressBar {
  const width = 28;
  let lastDraw = 0;
  let current = 0;
  const line = () => {
    const ratio = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(ratio * width);
    return `${label.padEnd(18)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${current.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
  };
  return {
    update(done) {
      current = done;
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - lastDraw < 50 && done < total) return;
      lastDraw = now;
      stream.write(`\r${line()}`);
    },
    finish(summary) {
      stream.write(`${stream.isTTY ? "\r" : ""}${line()}${summary ? `  ${summary}` : ""}\n`);
    },
  };
}
