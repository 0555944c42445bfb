import { describe, expect, it } from "vitest";
import { LruCache } from "../../src/sql/lru.js";

describe("the analysis cache", () => {
  it("keeps recently used entries and bounds its size", () => {
    const cache = new LruCache<string, number>(3);
    for (let i = 0; i < 3; i++) cache.set(`k${i}`, i);
    cache.set("k3", 3); // k0..k2 become the previous generation
    expect(cache.get("k0")).toBe(0); // a hit moves k0 forward
    for (let i = 4; i < 8; i++) cache.set(`k${i}`, i);
    expect(cache.get("k0")).toBe(0);
    expect(cache.get("k1")).toBeUndefined();
    expect(cache.size).toBeLessThanOrEqual(6);
    for (let i = 0; i < 1000; i++) cache.set(`x${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(6);
    expect(cache.get("x999")).toBe(999);
  });

  it("overwrites and clears", () => {
    const cache = new LruCache<string, string>(2);
    cache.set("a", "1");
    cache.set("a", "2");
    expect(cache.get("a")).toBe("2");
    cache.clear();
    expect(cache.get("a")).toBeUndefined();
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
