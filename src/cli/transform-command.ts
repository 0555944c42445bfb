import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { CliUsageError } from "../errors.js";
import { loadParser } from "../sql/parser.js";
import type { CliCommand } from "./io.js";
import { parseRewriteFlags, rewriteMigrationFile } from "./rewrite-file.js";
import { wantsHelp } from "./usage.js";

const USAGE = `Usage: drizzle-dsql transform <files...> [--dsql-json text|native] [--dsql-foreign-keys validate|drop]

Rewrites SQL migration files in place so that Aurora DSQL accepts them: the
same rewrite generate applies to drizzle-kit's output. Use it after running
drizzle-kit generate yourself (e.g. to answer its rename questions). Files in
a drizzle migrations folder use the enums of its snapshots. Statements that
cannot be rewritten safely stay in the file, marked "-- drizzle-dsql: error".
Running it twice changes nothing the second time.

  --dsql-json text|native             json/jsonb columns: text (default) or native
  --dsql-foreign-keys validate|drop   foreign keys: NOT VALID + VALIDATE (default) or dropped
  -h, --help                          this text

Exit codes: 0 rewritten, 1 a statement was refused, 2 usage.
`;

/**
 * `drizzle-dsql transform <files...>`: rewrites drizzle-kit SQL files in
 * place for DSQL, as `generate` does. Exit 1 when a statement cannot be
 * rewritten safely, 2 on usage errors.
 *
 * @example
 * ```sh
 * npx drizzle-kit generate --name rename_user && npx drizzle-dsql transform drizzle/0003_rename_user.sql
 * ```
 */
export const runTransform: CliCommand = async (argv, io) => {
  if (wantsHelp(argv)) {
    io.stdout(USAGE);
    return 0;
  }
  let files: string[];
  let options: ReturnType<typeof parseRewriteFlags>["options"];
  try {
    const parsed = parseRewriteFlags(argv);
    options = parsed.options;
    const unknown = parsed.rest.find((a) => a.startsWith("-"));
    if (unknown) throw new CliUsageError(`unknown option ${unknown}`);
    if (parsed.rest.length === 0) throw new CliUsageError("name the .sql files to rewrite");
    files = parsed.rest.map((f) => resolve(io.cwd, f));
    const missing = files.find((f) => !existsSync(f) || !statSync(f).isFile());
    if (missing) throw new CliUsageError(`no such file: ${relative(io.cwd, missing)}`);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`drizzle-dsql transform: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  await loadParser();
  let failures = 0;
  for (const file of files) {
    failures += rewriteMigrationFile(file, relative(io.cwd, file) || file, options, io);
  }
  if (failures > 0) {
    io.stderr(
      `drizzle-dsql transform: ${failures} statement(s) cannot run on DSQL as written; they are marked "-- drizzle-dsql: error" in the file(s). Change the schema and generate again, or edit the migration by hand.\n`,
    );
    return 1;
  }
  return 0;
};
