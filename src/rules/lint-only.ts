/**
 * Checks only the linter makes (they need a whole file, not one statement);
 * the twin never refuses anything for them. Listed here for the docs.
 */
export const lintOnlyChecks: readonly {
  id: string;
  severity: "error" | "warning";
  description: string;
}[] = [
  { id: "syntax", severity: "error", description: "text PostgreSQL's parser cannot read" },
  {
    id: "one-statement-per-breakpoint",
    severity: "error",
    description:
      "more than one statement between two `--> statement-breakpoint` markers (migrations run one statement at a time)",
  },
  {
    id: "one-ddl-per-transaction / no-ddl-with-dml",
    severity: "error",
    description: "the transaction rules, where `BEGIN ... COMMIT` is written out in the file",
  },
  {
    id: "unvalidated-constraint",
    severity: "warning",
    description:
      "a constraint added `NOT VALID` that no later `ALTER TABLE ASYNC ... VALIDATE CONSTRAINT` in the file validates",
  },
];

/** Message of the `one-statement-per-breakpoint` diagnostic. */
export const ONE_STATEMENT_PER_BREAKPOINT =
  "more than one statement between two `--> statement-breakpoint` markers: migrations run one statement at a time; add a breakpoint";
