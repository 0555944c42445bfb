// Regenerates test/fixtures/kit-history/<release>/drizzle with every drizzle-kit release
// installed side by side: `npx tsx scripts/kit-histories.ts`. test/lint/kit-history.test.ts
// checks the committed histories still match the fixture schema.
import { KIT_RELEASES, regenerateHistory } from "../test/support/kit-releases.js";

for (const release of KIT_RELEASES) {
  await regenerateHistory(release);
  console.log(`drizzle-kit ${release.name}: regenerated`);
}
