import { describe, expect, it } from "vitest";
import {
  BREAKPOINT,
  blankMarkers,
  findRefusal,
  refusalLine,
  splitAtBreakpoints,
  splitAtSemicolons,
  stripMarkers,
} from "../../src/sql/split.js";

describe("splitAtBreakpoints", () => {
  it("splits at drizzle-kit's marker, keeping offsets", () => {
    const text = `A;${BREAKPOINT}\nB;${BREAKPOINT}\nC;`;
    const chunks = splitAtBreakpoints(text);
    expect(chunks.map((c) => c.text)).toEqual(["A;", "\nB;", "\nC;"]);
    for (const c of chunks) expect(text.slice(c.offset, c.offset + c.text.length)).toBe(c.text);
  });

  it("reads only the exact marker unless loose, where spacing varies and the line's rest goes", () => {
    const text = "A;-->  statement-breakpoint trailing\nB;";
    expect(splitAtBreakpoints(text)).toEqual([{ text, offset: 0 }]);
    expect(splitAtBreakpoints(text, { loose: true })).toEqual([
      { text: "A;", offset: 0 },
      { text: "\nB;", offset: 36 },
    ]);
  });

  it("gives one chunk for text without markers", () => {
    expect(splitAtBreakpoints("")).toEqual([{ text: "", offset: 0 }]);
  });
});

describe("splitAtSemicolons", () => {
  it("splits at top-level semicolons only, dropping empty pieces", () => {
    const text = `select ';'; select $$;$$ /* ; */; -- ;\n;select "a;b"`;
    const pieces = splitAtSemicolons({ text, offset: 10 });
    expect(pieces.map((p) => p.text.trim())).toEqual([
      "select ';'",
      "select $$;$$ /* ; */",
      'select "a;b"',
    ]);
    expect(pieces[1]?.offset).toBe(10 + text.indexOf(" select $$"));
  });
});

describe("refusal markers", () => {
  it("are written on one line and found again by the migrator", () => {
    const line = refusalLine("no-create-type", "CREATE TYPE\n  is not supported");
    expect(line).toBe("-- drizzle-dsql: error [no-create-type] CREATE TYPE is not supported");
    expect(findRefusal(`CREATE TABLE t ();\n${line}\nCREATE TYPE x;`)).toBe(
      " [no-create-type] CREATE TYPE is not supported",
    );
    expect(findRefusal("--drizzle-dsql:error")).toBe("");
    expect(findRefusal("-- drizzle-dsql: note")).toBeUndefined();
  });

  it("are stripped, or blanked keeping offsets", () => {
    const text = `  ${refusalLine("r", "m")}\nSELECT 1;`;
    expect(stripMarkers(text)).toBe("SELECT 1;");
    expect(blankMarkers(text)).toHaveLength(text.length);
    expect(blankMarkers(text).trim()).toBe("SELECT 1;");
  });
});
