import { offsetIn } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import type { Finding, Rule, RuleContext, Severity } from "./types.js";

/** Options shared by the linter and the twin. */
export interface RuleOptions {
  /**
   * json / jsonb columns: `"allow"` (default; DSQL supports them since
   * mid-2026) or `"forbid"` (for clusters or tools that predate that).
   */
  json?: "allow" | "forbid";
}

/** One place a rule found a problem. */
export interface Hit {
  /** Parser location (0-based, in the parsed input) of the offending part. */
  location?: number | undefined;
  /** A message more specific than the rule's default. */
  message?: string;
  /** A DSQL-safe replacement statement. */
  fix?: string | undefined;
}

/** A DSQL rule with what the docs and the twin need besides {@link Rule}. */
export interface DsqlRule extends Rule {
  /** What to write instead (the compatibility table's last column). */
  instead: string;
  /** The default finding message; for transaction rules, the twin's error message. */
  message: string;
  /** True for limits (`DsqlLimitError`), false for unsupported features (`DsqlUnsupportedError`). */
  limit: boolean;
  /** Statement types (`CreateStmt`, ...) the rule looks at; `"*"` for every statement. */
  on: readonly string[];
  /** Whether the rule runs under these options (absent: always). */
  enabled?(options: RuleOptions): boolean;
}

/** What a rule file declares. */
export interface RuleSpec {
  id: string;
  description: string;
  instead: string;
  message: string;
  sqlstate: string;
  severity?: Severity;
  limit?: boolean;
  on?: readonly string[];
  enabled?(options: RuleOptions): boolean;
  /** Returns the problems in one statement; absent for transaction-scope rules. */
  find?(stmt: ParsedStatement, ctx: RuleContext): Hit[];
}

/** Builds a {@link DsqlRule} from a spec: findings get the rule's id, SQLSTATE and message. */
export function defineRule(spec: RuleSpec): DsqlRule {
  const severity = spec.severity ?? "error";
  const limit = spec.limit ?? false;
  const rule: DsqlRule = {
    id: spec.id,
    description: spec.description,
    instead: spec.instead,
    message: spec.message,
    severity,
    sqlstate: spec.sqlstate,
    limit,
    scope: spec.find ? "statement" : "transaction",
    on: spec.on ?? [],
  };
  if (spec.enabled) rule.enabled = spec.enabled;
  const find = spec.find;
  if (find) {
    rule.check = (stmt, ctx) =>
      find(stmt, ctx).map((hit): Finding => {
        const finding: Finding = {
          rule: spec.id,
          severity,
          message: hit.message ?? spec.message,
          sqlstate: spec.sqlstate,
          limit,
        };
        const offset = offsetIn(stmt, hit.location);
        if (offset !== undefined) finding.offset = offset;
        if (hit.fix !== undefined) finding.fix = hit.fix;
        return finding;
      });
  }
  return rule;
}
