/** A bare word of SQL text (keyword or unquoted identifier) and where it starts. */
export interface SqlWord {
  /** The word, lower-cased. */
  word: string;
  /** 0-based offset in the text. */
  at: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** End of a `'...'` string starting at `i` (the quote); `''` stays inside, `\'` too in E-strings. */
function skipString(text: string, i: number, backslashes: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslashes && c === "\\") j += 2;
    else if (c === "'" && text[j + 1] === "'") j += 2;
    else if (c === "'") return j + 1;
    else j++;
  }
  return j;
}

function skipQuotedIdentifier(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '"' && text[j + 1] === '"') j += 2;
    else if (text[j] === '"') return j + 1;
    else j++;
  }
  return j;
}

/** End of a (nested) block comment starting at `i`. */
function skipBlockComment(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith("/*", j)) {
      depth++;
      j += 2;
    } else if (text.startsWith("*/", j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return j;
}

/**
 * The bare words of SQL text, in order, skipping string literals (plain,
 * `E'...'`, dollar-quoted), quoted identifiers and comments: what a keyword
 * search may look at without touching data.
 */
export function sqlWords(text: string): SqlWord[] {
  const words: SqlWord[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") i = skipString(text, i, false);
    else if (c === '"') i = skipQuotedIdentifier(text, i);
    else if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "/" && text[i + 1] === "*") i = skipBlockComment(text, i);
    else if (c === "$") {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))?.[0];
      if (tag) {
        const end = text.indexOf(tag, i + tag.length);
        i = end < 0 ? text.length : end + tag.length;
      } else i++;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j] as string)) j++;
      const word = text.slice(i, j).toLowerCase();
      if ((word === "e" || word === "x" || word === "b") && text[j] === "'") {
        i = skipString(text, j, word === "e");
        continue;
      }
      if (word === "u" && text[j] === "&" && (text[j + 1] === "'" || text[j + 1] === '"')) {
        i =
          text[j + 1] === "'" ? skipString(text, j + 1, false) : skipQuotedIdentifier(text, j + 1);
        continue;
      }
      words.push({ word, at: i });
      i = j;
    } else i++;
  }
  return words;
}
