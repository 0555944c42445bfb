import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { maxRowsWritten, primaryKeysOf } from "../../src/sql/row-bound.js";

const single = pgTable("single", { id: integer("id").primaryKey(), v: text("v") });
const pair = pgTable("pair", { a: integer("a"), b: integer("b"), v: text("v") }, (t) => [
  primaryKey({ columns: [t.a, t.b] }),
]);
const keys = primaryKeysOf({ single, pair });
const bound = (text: string) => {
  const [stmt] = parseStatements(text);
  if (!stmt) throw new Error("no statement");
  return maxRowsWritten(stmt, keys);
};

describe("row bounds the twin uses to skip the implicit transaction", () => {
  beforeAll(() => loadParser());

  it("reads single and composite primary keys from the schema", () => {
    expect(keys.get("public.single")).toEqual(["id"]);
    expect(keys.get("public.pair")).toEqual(["a", "b"]);
  });

  it("bounds writes that pin the whole primary key to a constant", () => {
    expect(bound(`update "single" set "v" = $1 where "single"."id" = $2`)).toBe(1);
    expect(bound(`delete from single s where s.id = 5 and s.v = 'x'`)).toBe(1);
    expect(bound(`update pair set v = 'x' where a = $1 and b = $2::int`)).toBe(1);
    expect(bound(`update single set v = 'x' where $1 = id`)).toBe(1);
  });

  it("does not bound anything it cannot prove", () => {
    expect(bound(`update single set v = 'x'`)).toBeUndefined();
    expect(bound(`update single set v = 'x' where id = $1 or v = 'y'`)).toBeUndefined();
    expect(bound(`update single set v = 'x' where id > $1`)).toBeUndefined();
    expect(bound(`update pair set v = 'x' where a = $1`)).toBeUndefined();
    expect(bound(`update single set v = 'x' from pair where pair.a = 1`)).toBeUndefined();
    expect(bound(`update single set v = 'x' where id = v::int`)).toBeUndefined();
    expect(bound(`update other set v = 'x' where id = 1`)).toBeUndefined();
    expect(
      bound(`with d as (delete from pair returning a) update single set v = 'x' where id = 1`),
    ).toBeUndefined();
    expect(bound(`update single set v = 'x' where other.id = 1`)).toBeUndefined();
  });
});
