import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { journalPath } from "../migrator/journal.js";

/** A migrations folder as it was before drizzle-kit ran: its files and its journal's text. */
export interface FolderState {
  folder: string;
  files: Set<string>;
  journal: string | undefined;
  existed: { folder: boolean; meta: boolean };
}

function filesOf(folder: string): string[] {
  const list = (dir: string, prefix: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => `${prefix}${e.name}`)
      : [];
  return [...list(folder, ""), ...list(join(folder, "meta"), "meta/")];
}

/** Records what a migrations folder holds now, so {@link restoreFolder} can undo a generate. */
export function captureFolder(folder: string): FolderState {
  const journal = journalPath(folder);
  return {
    folder,
    files: new Set(filesOf(folder)),
    journal: existsSync(journal) ? readFileSync(journal, "utf8") : undefined,
    existed: { folder: existsSync(folder), meta: existsSync(join(folder, "meta")) },
  };
}

/**
 * Puts a migrations folder back as {@link captureFolder} saw it: files that
 * appeared since are removed, the journal gets its old text back (or is
 * removed if there was none), and folders that were created go again.
 * Returns the paths removed, relative to the folder.
 */
export function restoreFolder(state: FolderState): string[] {
  const removed: string[] = [];
  for (const file of filesOf(state.folder)) {
    if (state.files.has(file) || file === "meta/_journal.json") continue;
    rmSync(join(state.folder, file), { force: true });
    removed.push(file);
  }
  const journal = journalPath(state.folder);
  if (state.journal !== undefined) writeFileSync(journal, state.journal);
  else rmSync(journal, { force: true });
  for (const [dir, existed] of [
    [join(state.folder, "meta"), state.existed.meta],
    [state.folder, state.existed.folder],
  ] as const) {
    if (!existed && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
  return removed;
}
