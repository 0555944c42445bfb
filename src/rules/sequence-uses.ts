import type {
  AlterSeqStmt,
  Constraint,
  CreateSeqStmt,
  DefElem,
  Node,
  TypeName,
} from "@pgsql/types";
import { columnConstraints, defElems, nodeOf, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { alterCommands, newColumns } from "./columns.js";

export const SEQUENCE_STATEMENTS = [
  "CreateStmt",
  "AlterTableStmt",
  "CreateSeqStmt",
  "AlterSeqStmt",
];

/** One sequence-like thing in a statement: its options and, where known, its value type. */
export interface SequenceUse {
  what: string;
  options: DefElem[];
  /** The value type written, if any (an identity column's type, or `AS type`). */
  type: TypeName | undefined;
  /** Whether CACHE must be present (creation) or only checked when given (alteration). */
  creates: boolean;
  location: number | undefined;
}

export function asType(options: DefElem[]): TypeName | undefined {
  return nodeOf<TypeName>(options.find((o) => o.defname === "as")?.arg, "TypeName");
}

export function identityOptions(def: Node | undefined): DefElem[] {
  const constraint = nodeOf<Constraint>(def, "Constraint");
  if (constraint) return defElems(constraint.options);
  return defElems(nodeOf<{ items?: Node[] }>(def, "List")?.items);
}

/** Every sequence or identity column a statement creates or alters. */
export function sequenceUses(stmt: ParsedStatement): SequenceUse[] {
  const uses: SequenceUse[] = [];
  if (stmt.type === "CreateSeqStmt" || stmt.type === "AlterSeqStmt") {
    const seq = statementBody<CreateSeqStmt | AlterSeqStmt>(stmt);
    const options = defElems(seq.options);
    uses.push({
      what: `sequence "${seq.sequence?.relname}"`,
      options,
      type: asType(options),
      creates: stmt.type === "CreateSeqStmt",
      location: seq.sequence?.location,
    });
    return uses;
  }
  if (stmt.type === "CreateStmt") {
    for (const column of newColumns(stmt)) {
      for (const constraint of columnConstraints(column)) {
        if (constraint.contype !== "CONSTR_IDENTITY") continue;
        uses.push({
          what: `identity column "${column.colname}"`,
          options: defElems(constraint.options),
          type: column.typeName,
          creates: true,
          location: constraint.location,
        });
      }
    }
    return uses;
  }
  for (const cmd of alterCommands(stmt)) {
    if (cmd.subtype !== "AT_AddIdentity" && cmd.subtype !== "AT_SetIdentity") continue;
    const options = identityOptions(cmd.def);
    uses.push({
      what: `identity column "${cmd.name}"`,
      options,
      type: asType(options),
      creates: cmd.subtype === "AT_AddIdentity",
      location: nodeOf<Constraint>(cmd.def, "Constraint")?.location,
    });
  }
  return uses;
}
