/** A parsed PostgreSQL array literal: text elements, NULLs and nested arrays. */
export type PgArray = (string | null | PgArray)[];

/** Parses PostgreSQL's array literal text (`{a,"b c",NULL}`); undefined when malformed. */
export function parsePgArray(text: string): PgArray | undefined {
  let at = 0;
  const src = text.trim();
  function parse(): PgArray | undefined {
    if (src[at] !== "{") return undefined;
    at++;
    const out: PgArray = [];
    if (src[at] === "}") {
      at++;
      return out;
    }
    for (;;) {
      while (src[at] === " ") at++;
      if (src[at] === "{") {
        const inner = parse();
        if (!inner) return undefined;
        out.push(inner);
      } else if (src[at] === '"') {
        at++;
        let value = "";
        while (at < src.length && src[at] !== '"') {
          if (src[at] === "\\") at++;
          value += src[at] ?? "";
          at++;
        }
        if (src[at] !== '"') return undefined;
        at++;
        out.push(value);
      } else {
        let value = "";
        while (at < src.length && src[at] !== "," && src[at] !== "}") {
          if (src[at] === "\\") at++;
          value += src[at] ?? "";
          at++;
        }
        value = value.trim();
        out.push(value.toUpperCase() === "NULL" ? null : value);
      }
      while (src[at] === " ") at++;
      if (src[at] === ",") {
        at++;
        continue;
      }
      if (src[at] === "}") {
        at++;
        return out;
      }
      return undefined;
    }
  }
  const result = parse();
  return result && at === src.length ? result : undefined;
}

/** PostgreSQL's array literal text for `values`, every element quoted: `{"a","b c",NULL}`. */
export function pgArrayLiteral(values: PgArray): string {
  const item = (v: string | null | PgArray): string => {
    if (v === null) return "NULL";
    if (Array.isArray(v)) return pgArrayLiteral(v);
    return `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  };
  return `{${values.map(item).join(",")}}`;
}
