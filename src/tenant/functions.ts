/**
 * Which function calls a tenant scope lets run. A function body is invisible
 * to the rewriter, so a call is allowed only when the function is a built-in
 * known to read no table (the list below) or one the application declared
 * with `tenant.functions`. Built-ins are called as `pg_catalog.name`, so a
 * same-named function elsewhere on the search path cannot stand in for them.
 */
import { list, type Obj, stringOf } from "../sql/ast.js";
import { refuse, stringNode } from "./ast.js";
import type { TenantRegistry } from "./types.js";

/**
 * Built-in functions that read no table and reveal nothing about other
 * tenants' rows: aggregates and window functions (they see only the rows the
 * scope let through), and pure functions over their arguments.
 */
const BUILT_INS = new Set(
  `
  count sum avg min max bool_and bool_or every string_agg array_agg json_agg jsonb_agg
  json_object_agg jsonb_object_agg stddev stddev_pop stddev_samp variance var_pop var_samp
  bit_and bit_or bit_xor percentile_cont percentile_disc mode corr covar_pop covar_samp any_value
  regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  abs ceil ceiling floor round trunc sign sqrt cbrt power pow exp ln log log10 mod div pi
  degrees radians sin cos tan asin acos atan atan2 sinh cosh tanh width_bucket gcd lcm factorial
  scale min_scale trim_scale random random_normal
  lower upper initcap length char_length character_length octet_length bit_length concat concat_ws
  substring substr left right lpad rpad ltrim rtrim btrim trim replace reverse repeat split_part
  strpos position starts_with translate format md5 sha224 sha256 sha384 sha512 encode decode
  to_hex ascii chr quote_ident quote_literal quote_nullable regexp_replace regexp_match
  regexp_matches regexp_split_to_array regexp_split_to_table regexp_like regexp_count regexp_instr
  regexp_substr string_to_array array_to_string overlay normalize unistr casefold
  to_char to_number to_date to_timestamp gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp
  uuid_extract_version
  now clock_timestamp statement_timestamp transaction_timestamp date_trunc date_part extract
  date_bin age make_date make_time make_timestamp make_timestamptz make_interval justify_days
  justify_hours justify_interval isfinite timezone date_add date_subtract
  json_build_object json_build_array jsonb_build_object jsonb_build_array to_json to_jsonb
  json_array_length jsonb_array_length json_extract_path json_extract_path_text jsonb_extract_path
  jsonb_extract_path_text json_typeof jsonb_typeof jsonb_set jsonb_set_lax jsonb_insert
  jsonb_strip_nulls json_strip_nulls jsonb_pretty jsonb_path_exists jsonb_path_match
  jsonb_path_query jsonb_path_query_array jsonb_path_query_first row_to_json array_to_json
  json_object jsonb_object json_array_elements jsonb_array_elements json_array_elements_text
  jsonb_array_elements_text json_each jsonb_each json_each_text jsonb_each_text json_object_keys
  jsonb_object_keys json_populate_record jsonb_populate_record json_to_record jsonb_to_record
  json_populate_recordset jsonb_populate_recordset json_to_recordset jsonb_to_recordset
  string_to_table
  array_length array_lower array_upper array_position array_positions array_remove array_replace
  array_append array_prepend array_cat array_ndims array_dims cardinality unnest generate_series
  generate_subscripts array_fill trim_array array_reverse array_sort
  to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd
  ts_headline setweight strip numnode querytree
  num_nulls num_nonnulls pg_typeof pg_column_size pg_size_pretty pg_size_bytes pg_input_is_valid
  pg_sleep pg_backend_pid pg_collation_for current_setting
  nextval
  `
    .split(/\s+/)
    .filter((name) => name.length > 0),
);

/** Functions named like system columns: `ctid(o)` is `o.ctid`. */
const SYSTEM_COLUMN_FUNCTIONS = new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]);

/** Sequence functions refused in a scope, with the reason. */
const SEQUENCE_FUNCTIONS: Record<string, string> = {
  setval: "setval() moves a sequence every tenant shares (another tenant would reuse its values)",
  currval:
    "currval() returns the value drawn last on this pooled connection, possibly by another tenant; use INSERT ... RETURNING",
  lastval:
    "lastval() returns the value drawn last on this pooled connection, possibly by another tenant; use INSERT ... RETURNING",
};

/**
 * Built-in functions that read relations named in text, reach outside the
 * database or change settings. Listed for the unscoped db, which refuses the
 * ones that could read scoped tables.
 */
const DENIED_EXACT = new Set(["ts_stat", "ts_rewrite", "set_config", "currtid", "currtid2"]);
const DENIED_PREFIXES = [
  "query_to_xml",
  "table_to_xml",
  "cursor_to_xml",
  "schema_to_xml",
  "database_to_xml",
  "dblink",
  "lo_",
  "pg_",
];

/**
 * The reason a built-in function name is dangerous to any handle (it can
 * read tables named in text or reach outside the database), or undefined.
 */
export function deniedFunction(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (BUILT_INS.has(lower)) return undefined;
  if (DENIED_EXACT.has(lower) || DENIED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    return `function ${lower}() can read or reveal rows outside the tenant scope`;
  }
  return undefined;
}

/**
 * Checks a `FuncCall` body inside a tenant scope and returns the body to
 * run: built-ins qualified as `pg_catalog.name`, declared functions as
 * written. Anything else is refused.
 *
 * @throws TenantScopeError naming the function and how to declare it.
 */
export function scopedFunctionCall(funcCall: Obj, registry: TenantRegistry): Obj {
  const names = list(funcCall.funcname).map(stringOf);
  if (names.length === 0 || names.length > 2 || names.some((n) => n === undefined)) {
    return refuse("a function call without a readable name");
  }
  const [first, second] = names as string[];
  const schema = second === undefined ? undefined : first;
  const name = (second ?? first) as string;
  const lower = name.toLowerCase();
  if (SYSTEM_COLUMN_FUNCTIONS.has(lower)) {
    refuse(`system column "${lower}" (called as a function) can reveal other tenants' rows`);
  }
  const sequence = SEQUENCE_FUNCTIONS[lower];
  if (sequence !== undefined && (schema === undefined || schema === "pg_catalog")) {
    refuse(sequence);
  }
  if ((schema === undefined || schema === "pg_catalog") && BUILT_INS.has(name)) {
    return schema === undefined
      ? { ...funcCall, funcname: [stringNode("pg_catalog"), stringNode(name)] }
      : funcCall;
  }
  const declared = schema === undefined ? name : `${schema}.${name}`;
  if (
    registry.functions.has(declared) ||
    (schema === "public" && registry.functions.has(name)) ||
    (schema === undefined && registry.functions.has(`public.${name}`))
  ) {
    return funcCall;
  }
  return refuse(
    `function ${declared}() is not known to stay within the tenant (it may read other tenants' rows); if it reads no scoped table, declare it with drizzle({ tenant: { functions: ["${declared}"] } })`,
  );
}
