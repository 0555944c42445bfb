import { DsqlError } from "../errors.js";

/** A CLI invocation that cannot run as given (unknown flag, missing value...); exit code 2. */
export class CliUsageError extends DsqlError {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** Whether `argv` asks for help (`--help` or `-h`). */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}
