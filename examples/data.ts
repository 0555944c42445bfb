import type { CustomerPrefs } from "./schema.js";

/** A small deterministic pseudo-random generator, so every run loads the same data. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Edsger",
  "Barbara",
  "Ken",
  "Frances",
  "Donald",
  "Radia",
  "Linus",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Dijkstra",
  "Liskov",
  "Thompson",
  "Allen",
  "Knuth",
  "Perlman",
  "Torvalds",
];
const TAGS = ["vip", "wholesale", "newsletter", "beta", "EU", "needs, care", 'says "hi"'];
export const SKUS = ["sku-tea", "sku-mug", "sku-pot", "sku-cozy", "sku-spoon"];

/** Customers, orders and line items for one tenant. */
export function tenantData(
  tenantId: string,
  seed: number,
  counts: { customers: number; orders: number; itemsPerOrder: number },
) {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const customers = Array.from({ length: counts.customers }, (_, i) => ({
    id: crypto.randomUUID(),
    tenantId,
    name: `${pick(FIRST)} ${pick(LAST)}`,
    email: `c${i}@${tenantId}.example`,
    prefs: {
      theme: random() < 0.4 ? "dark" : "light",
      newsletter: random() < 0.5,
      locale: pick(["en", "de", "ja"]),
    } satisfies CustomerPrefs,
    tags: TAGS.filter(() => random() < 0.25),
  }));
  const orders = Array.from({ length: counts.orders }, () => ({
    id: crypto.randomUUID(),
    tenantId,
    customerId: pick(customers).id,
    status: pick(["new", "paid", "shipped", "shipped", "paid"]),
    totalCents: 0,
    meta: { channel: pick(["web", "app", "phone"]), gift: random() < 0.1 },
  }));
  const lineItems = orders.flatMap((order) =>
    Array.from({ length: counts.itemsPerOrder }, () => {
      const quantity = 1 + Math.floor(random() * 4);
      const priceCents = 300 + Math.floor(random() * 2000);
      order.totalCents += quantity * priceCents;
      return { tenantId, orderId: order.id, sku: pick(SKUS), quantity, priceCents };
    }),
  );
  return { customers, orders, lineItems };
}
