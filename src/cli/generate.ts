import { relative, resolve } from "node:path";
import { CliUsageError, DrizzleConfigError } from "../errors.js";
import { loadDrizzleConfig } from "../migrator/config.js";
import { readJournal } from "../migrator/journal.js";
import { loadParser } from "../sql/parser.js";
import { kitFailure, resolveDrizzleKit, runDrizzleKit } from "./drizzle-kit.js";
import { captureFolder, type FolderState, restoreFolder } from "./folder-state.js";
import type { CliIo } from "./io.js";
import { migrationPath, parseRewriteFlags, rewriteMigrationFile } from "./rewrite-file.js";
import { wantsHelp } from "./usage.js";

const USAGE = `Usage: drizzle-dsql generate [drizzle-kit generate flags] [drizzle-dsql flags]

Runs drizzle-kit generate, then rewrites the new migration file in place so
that Aurora DSQL accepts it (drizzle's journal and snapshots stay as drizzle-kit
wrote them). When a change cannot be made safely on DSQL, or drizzle-kit
fails, nothing is kept: the new .sql file, its snapshot and its journal entry
are removed, so you can change the schema and generate again.

drizzle-dsql flags:
  --dsql-json text|native             json/jsonb columns: text (default) or native
  --dsql-foreign-keys validate|drop   foreign keys: NOT VALID + VALIDATE (default) or dropped
  -h, --help                          this text

Every other flag goes to drizzle-kit generate, e.g.:
  --config <file>   drizzle config (default ./drizzle.config.ts); evaluated as code
  --name <name>     migration name
  --custom          an empty migration to write by hand
  --out <dir>       migrations folder (default: the config's out, else ./drizzle)
  --schema, --dialect, --prefix, --casing, --breakpoints: as drizzle-kit documents them

drizzle-kit asks when it cannot tell a rename from a drop + create; run
generate in a terminal to answer. Off a terminal, run drizzle-kit generate
yourself in one, then: drizzle-dsql transform <new .sql file>.

Exit codes: 0 done (or nothing to do), 1 refused or drizzle-kit failed, 2 usage.
`;

function flagValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

function undo(state: FolderState, io: CliIo, why: string): void {
  const removed = restoreFolder(state).map((f) => relative(io.cwd, resolve(state.folder, f)));
  const what = removed.length > 0 ? `removed ${removed.join(", ")} and the journal entry` : "";
  io.stderr(`drizzle-dsql generate: ${why}${what ? `; ${what}` : ""}.\n`);
}

/**
 * `drizzle-dsql generate [drizzle-kit generate flags] [--dsql-json text|native]
 * [--dsql-foreign-keys validate|drop]`: runs drizzle-kit generate, then
 * rewrites the new migration files in place with {@link transformSql},
 * leaving drizzle's journal and snapshots as drizzle-kit wrote them. When
 * drizzle-kit fails, or a statement cannot be rewritten safely, the new
 * files and journal entry are removed and the exit code is 1 (2 on usage
 * errors). On a terminal, drizzle-kit's questions reach the user.
 *
 * @example
 * ```sh
 * npx drizzle-dsql generate --config drizzle.config.ts --name add_orders
 * ```
 */
export async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(USAGE);
    return 0;
  }
  let options: ReturnType<typeof parseRewriteFlags>["options"];
  let kitArgs: string[];
  try {
    ({ options, rest: kitArgs } = parseRewriteFlags(argv));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`drizzle-dsql generate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  let out: string;
  try {
    const config = await loadDrizzleConfig(io.cwd, flagValue(kitArgs, "--config"));
    const outFlag = flagValue(kitArgs, "--out");
    out = outFlag ? resolve(io.cwd, outFlag) : config.out;
  } catch (error) {
    if (!(error instanceof DrizzleConfigError)) throw error;
    io.stderr(`drizzle-dsql generate: ${error.message}\n`);
    return 1;
  }
  let bin: string;
  try {
    bin = resolveDrizzleKit(io.cwd);
  } catch {
    io.stderr(
      "drizzle-dsql generate: drizzle-kit is not installed in this project (npm i -D drizzle-kit)\n",
    );
    return 2;
  }
  const state = captureFolder(out);
  const before = new Set(readJournal(out).entries.map((e) => e.tag));
  const run = await runDrizzleKit(bin, ["generate", ...kitArgs], io, io.interactive === true);
  const failure = kitFailure(run);
  if (failure) {
    const hint = failure.needsTerminal
      ? " drizzle-kit needs to ask a question (is a column or table renamed, or dropped and created?) and this is not a terminal: run drizzle-dsql generate in a terminal, or run drizzle-kit generate yourself in one and then drizzle-dsql transform <the new .sql file>"
      : "";
    undo(state, io, `drizzle-kit failed: ${failure.message.replace(/\.$/, "")}.${hint}`);
    return 1;
  }
  const entries = readJournal(out).entries;
  if (state.journal === undefined && entries.length === 0 && captureFolder(out).journal) {
    undo(
      state,
      io,
      "drizzle-kit wrote an empty journal and no migration (does the schema export any tables?)",
    );
    return 1;
  }
  const fresh = entries.filter((e) => !before.has(e.tag));
  if (fresh.length === 0) return 0;
  await loadParser();
  let failures = 0;
  for (const entry of fresh) {
    const path = migrationPath(out, entry);
    failures += rewriteMigrationFile(path, relative(io.cwd, path), options, io);
  }
  if (failures > 0) {
    undo(
      state,
      io,
      `${failures} statement(s) cannot run on DSQL as written (see the messages above), so this migration was not kept. Change the schema and generate again`,
    );
    return 1;
  }
  return 0;
}
