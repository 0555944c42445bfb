/** Where a CLI command writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Current directory for relative paths. */
  cwd: string;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
  /** Whether stdin and stdout are both a terminal, so a child's questions can be answered. */
  interactive?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
};

/** One CLI subcommand: returns the exit code (0 ok, 1 findings/failure, 2 usage). */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
