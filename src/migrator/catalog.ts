import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  IndexStmt,
  RangeVar,
  RenameStmt,
} from "@pgsql/types";
import { type SQL, sql } from "drizzle-orm";
import type { Run } from "./runner.js";
import type { MigrationStatement } from "./statements.js";

/** The relation's schema as a bound value, or the search path's first schema. */
function schemaOf(rel: RangeVar | undefined): SQL {
  return rel?.schemaname ? sql`${rel.schemaname}` : sql`current_schema()`;
}

async function exists(run: Run, query: SQL): Promise<boolean> {
  const { rows } = await run(sql`SELECT EXISTS (${query}) AS found`);
  return rows[0]?.found === true;
}

function relationExists(
  run: Run,
  rel: RangeVar | undefined,
  name = rel?.relname,
): Promise<boolean> {
  return exists(
    run,
    sql`SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ${name ?? ""} AND n.nspname = ${schemaOf(rel)}`,
  );
}

function columnExists(run: Run, rel: RangeVar, column: string): Promise<boolean> {
  return exists(
    run,
    sql`SELECT 1 FROM information_schema.columns WHERE table_schema = ${schemaOf(rel)} AND table_name = ${rel.relname ?? ""} AND column_name = ${column}`,
  );
}

function constraintQuery(rel: RangeVar, name: string, validated = false): SQL {
  return sql`SELECT 1 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.conname = ${name} AND c.relname = ${rel.relname ?? ""} AND n.nspname = ${schemaOf(rel)}${validated ? sql` AND k.convalidated` : sql``}`;
}

async function alterDone(run: Run, alter: AlterTableStmt): Promise<boolean> {
  const cmds = (alter.cmds ?? []).map((c) => (c as { AlterTableCmd: AlterTableCmd }).AlterTableCmd);
  const rel = alter.relation;
  if (cmds.length !== 1 || !rel) return false;
  const cmd = cmds[0] as AlterTableCmd;
  switch (cmd.subtype) {
    case "AT_AddConstraint": {
      const name = (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint?.conname;
      return name ? exists(run, constraintQuery(rel, name)) : false;
    }
    case "AT_ValidateConstraint":
      return cmd.name ? exists(run, constraintQuery(rel, cmd.name, true)) : false;
    case "AT_AddColumn": {
      const column = (cmd.def as { ColumnDef?: ColumnDef } | undefined)?.ColumnDef?.colname;
      return !cmd.missing_ok && column ? columnExists(run, rel, column) : false;
    }
    case "AT_DropColumn":
      return !cmd.missing_ok && cmd.name ? !(await columnExists(run, rel, cmd.name)) : false;
    default:
      return false;
  }
}

async function renameDone(run: Run, rename: RenameStmt): Promise<boolean> {
  const rel = rename.relation;
  const to = rename.newname;
  if (!rel || !to) return false;
  switch (rename.renameType) {
    case "OBJECT_COLUMN":
      return (
        !!rename.subname &&
        !(await columnExists(run, rel, rename.subname)) &&
        (await columnExists(run, rel, to))
      );
    case "OBJECT_TABLE":
    case "OBJECT_INDEX":
    case "OBJECT_VIEW":
    case "OBJECT_SEQUENCE":
      return !(await relationExists(run, rel)) && (await relationExists(run, rel, to));
    case "OBJECT_TABCONSTRAINT":
      return (
        !!rename.subname &&
        !(await exists(run, constraintQuery(rel, rename.subname))) &&
        (await exists(run, constraintQuery(rel, to)))
      );
    default:
      return false;
  }
}

/**
 * Whether the catalog shows `stmt` already took effect, for statements that
 * have no IF NOT EXISTS form: ADD CONSTRAINT (constraint present), VALIDATE
 * CONSTRAINT (already valid), renames (old name gone, new one present),
 * CREATE VIEW, and CREATE / ADD COLUMN written without IF NOT EXISTS. A run that stopped after
 * such a statement committed, but before it was recorded, resumes without
 * "already exists".
 */
export async function alreadyApplied(run: Run, stmt: MigrationStatement): Promise<boolean> {
  const node = stmt.parsed.node as Record<string, unknown>;
  if (node.AlterTableStmt) return alterDone(run, node.AlterTableStmt as AlterTableStmt);
  if (node.RenameStmt) return renameDone(run, node.RenameStmt as RenameStmt);
  if (node.CreateStmt) {
    const create = node.CreateStmt as CreateStmt;
    return !create.if_not_exists && relationExists(run, create.relation);
  }
  if (node.ViewStmt) {
    const view = node.ViewStmt as { view?: RangeVar; replace?: boolean };
    return !view.replace && relationExists(run, view.view);
  }
  if (node.IndexStmt) {
    const index = node.IndexStmt as IndexStmt;
    if (index.if_not_exists || !index.idxname) return false;
    return relationExists(run, { ...index.relation, relname: index.idxname });
  }
  return false;
}
