import pg from "pg";

// Date and time types (and their arrays) come back as the server's text, as
// drizzle's node-postgres driver does, so Drizzle's column mappers own them.
const RAW_TEXT_OIDS = new Set([
  1082, // date
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
  1182, // date[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1231, // numeric[]
]);

const rawText = (value: string) => value;

const INT8 = 20;

/**
 * bigint values as numbers when they fit exactly (as text otherwise): DSQL
 * identity columns are bigint, so a schema's `serial` / `integer` key widened
 * by the migration still reads as the number its TypeScript type says, the
 * same as inside relational (JSON) results. drizzle's `bigint` columns accept
 * both forms (`mode: "bigint"` stays exact).
 */
function int8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/**
 * pg `types` option for queries with DSQL's rules on (and on DSQL): bigint
 * reads as a number when it fits.
 */
export const drizzleTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (RAW_TEXT_OIDS.has(oid)) return rawText;
    if (oid === INT8 && format !== "binary") return int8;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as unknown as pg.CustomTypesConfig;

/**
 * pg `types` option with `dsqlRules: "off"` on a local backend: exactly what
 * drizzle-orm/node-postgres uses (bigint stays text, as stock pg reads it).
 */
export const stockDrizzleTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (RAW_TEXT_OIDS.has(oid)) return rawText;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as unknown as pg.CustomTypesConfig;
