import type { IndexElem, IndexStmt, Node } from "@pgsql/types";
import { clone } from "./ast.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/** Whether the statement text spells out an access method (`USING btree`). */
function writesUsing(text: string): boolean {
  const code = text.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
  return /\bUSING\s+[A-Za-z_]\w*\s*\(/i.test(code);
}

type Direction = "asc" | "desc";

function direction(elem: IndexElem): Direction {
  return elem.ordering === "SORTBY_DESC" ? "desc" : "asc";
}

function keyName(elem: IndexElem): string {
  return elem.name ?? "(expression)";
}

/**
 * The warning for a mixed-direction index made ascending: the ORDER BY it
 * served (and its reverse) is served no longer, except where the keys before
 * the first change of direction are fixed by equality and the rest share one
 * direction (the btree is then scanned forwards or backwards).
 */
export function lostOrderings(name: string, keys: IndexElem[]): string {
  const spelled = (flip: boolean) =>
    keys.map((k) => `${keyName(k)}${(direction(k) === "desc") !== flip ? " DESC" : ""}`).join(", ");
  const first = direction(keys[0] as IndexElem);
  const turn = keys.findIndex((k) => direction(k) !== first);
  const rest = keys.slice(turn);
  const fixed = keys.slice(0, turn).map((k) => `${keyName(k)} = ...`);
  const still = rest.every((k) => direction(k) === direction(rest[0] as IndexElem))
    ? ` With ${fixed.join(" AND ")} fixed by equality (WHERE ${fixed.join(" AND ")}), it still serves ORDER BY ${rest.map((k) => `${keyName(k)}${direction(k) === "desc" ? " DESC" : ""}`).join(", ")} (scanned backwards).`
    : "";
  return `index ${name}: DSQL rejects ASC/DESC on index keys, so its keys are made ascending; it no longer serves ORDER BY ${spelled(false)} (or ORDER BY ${spelled(true)}) across different ${keys
    .slice(0, turn)
    .map(keyName)
    .join(
      ", ",
    )} values, which will sort.${still} Pass mixedIndexOrder: "refuse" to refuse such indexes instead.`;
}

/**
 * `CREATE [UNIQUE] INDEX` → `CREATE [UNIQUE] INDEX ASYNC IF NOT EXISTS`: DSQL
 * builds indexes only asynchronously, rejects `USING <method>` (even btree),
 * CONCURRENTLY, ASC/DESC and operator classes. Keys that all run DESC are
 * turned ascending (a btree scans both ways; NULLS placement is flipped to
 * match); mixed directions are made ascending with a warning naming the
 * orderings the index no longer serves (or refused, with `mixedIndexOrder:
 * "refuse"`); other methods and opclasses are refused.
 */
export function rewriteIndex(
  stmt: { node: Node; text: string; async: boolean },
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const node = clone(stmt.node) as { IndexStmt: IndexStmt };
  const index = node.IndexStmt;
  const name = index.idxname ?? "(unnamed)";
  if (index.accessMethod && index.accessMethod !== "btree") {
    log.refuse(
      "index-no-using",
      `index ${name}: DSQL builds only btree indexes; USING ${index.accessMethod} is not supported (drop the index or use a btree key)`,
    );
  }
  const keys = (index.indexParams ?? []).map((p) => (p as { IndexElem: IndexElem }).IndexElem);
  if (keys.length > 8) {
    log.refuse(
      "index-key-limit",
      `index ${name}: DSQL allows at most 8 key columns (54011), not ${keys.length}`,
    );
  }
  if (keys.some((k) => (k.opclass?.length ?? 0) > 0)) {
    log.refuse(
      "index-opclass",
      `index ${name}: DSQL does not support operator classes on index keys`,
    );
  }
  const directions = new Set(keys.map(direction));
  const explicit = keys.some((k) => k.ordering === "SORTBY_ASC" || k.ordering === "SORTBY_DESC");
  if (directions.size > 1 && ctx.options.mixedIndexOrder === "refuse") {
    log.refuse(
      "index-sort-order",
      `index ${name}: DSQL rejects ASC/DESC on index keys, and keys with mixed directions cannot be served by one ascending btree (mixedIndexOrder: "refuse"); use one direction for all keys`,
    );
  } else if (explicit) {
    const lost = directions.size > 1 ? lostOrderings(name, keys) : undefined;
    for (const key of keys) {
      if (direction(key) === "desc") {
        // DESC NULLS FIRST (the default) scanned backwards is ASC NULLS LAST (the default);
        // DESC NULLS LAST scanned backwards is ASC NULLS FIRST.
        key.nulls_ordering =
          key.nulls_ordering === "SORTBY_NULLS_LAST"
            ? "SORTBY_NULLS_FIRST"
            : "SORTBY_NULLS_DEFAULT";
      }
      key.ordering = "SORTBY_DEFAULT";
    }
    if (lost) log.change("index-direction", lost, "warning");
    else {
      const desc = directions.has("desc");
      log.change(
        "index-direction",
        desc
          ? `index ${name}: DSQL rejects DESC on index keys; the keys are made ascending (a btree is scanned backwards for DESC order, NULLS placement flipped to match)`
          : `index ${name}: DSQL rejects ASC on index keys; ascending is the default`,
        desc ? "warning" : "info",
      );
    }
  }
  if (index.concurrent) {
    index.concurrent = false;
    log.change("index-concurrently", `index ${name}: CONCURRENTLY is implied by ASYNC on DSQL`);
  }
  if (writesUsing(stmt.text)) {
    log.change(
      "index-using",
      `index ${name}: DSQL rejects USING <method>, even btree (btree is the only method)`,
    );
  }
  if (!stmt.async) {
    log.change("index-async", `index ${name}: DSQL builds indexes only with CREATE INDEX ASYNC`);
  }
  if (!index.if_not_exists && index.idxname) {
    index.if_not_exists = true;
    log.change(
      "idempotent-ddl",
      `index ${name}: IF NOT EXISTS lets an interrupted migration resume`,
    );
  }
  index.accessMethod = "btree";
  return [{ node, async: true }];
}
