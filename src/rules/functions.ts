import type { FuncCall } from "@pgsql/types";
import { stringOf } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";

/** A function call found in a statement: its unqualified, lower-cased name and location. */
export interface CallSite {
  name: string;
  location: number | undefined;
}

/** Every function call anywhere in the statement's tree (select lists, WHERE, CTEs, defaults...). */
export function functionCalls(stmt: ParsedStatement): CallSite[] {
  const out: CallSite[] = [];
  const stack: unknown[] = [stmt.node];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === "FuncCall") {
        const call = child as FuncCall;
        const names = call.funcname ?? [];
        out.push({
          name: (stringOf(names[names.length - 1]) ?? "").toLowerCase(),
          location: call.location,
        });
      }
      if (child !== null && typeof child === "object") stack.push(child);
    }
  }
  return out;
}
