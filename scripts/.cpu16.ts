import { rowSizer, cutBatches, statementChunks } from "../src/bulk/batches.js";
import { InsertStatementBuilder } from "../src/bulk/insert-statement.js";
import { entities } from "../bench/schema.js";
import { entityRows } from "../bench/loaders.js";
const rows = entityRows(50000) as unknown as Record<string, unknown>[];
for (let round = 0; round < 5; round++) {
  let t = performance.now();
  const sizeOf = rowSizer(entities);
  const sizes = rows.map((r, i) => sizeOf(r, i));
  const t1 = performance.now() - t; t = performance.now();
  const b = new InsertStatementBuilder(entities, undefined);
  let n = 0;
  for (let i = 0; i < rows.length; i += 3000) { const st = b.build(rows.slice(i, i + 3000)); n += st!.params.length; }
  const t2 = performance.now() - t;
  console.log(`size ${t1.toFixed(1)} ms, build ${t2.toFixed(1)} ms`, sizes.length, n);
}
