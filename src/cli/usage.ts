/** Whether `argv` asks for help (`--help` or `-h`). */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}
