import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { LockHolder, LockState } from "../errors.js";

/** How often a holder renews a lease of `leaseMs`: often enough that a dead holder shows quickly. */
export function heartbeatMs(leaseMs: number): number {
  return Math.max(250, Math.min(5000, leaseMs / 3));
}

/** Whether the holder ran on this host and its process no longer exists. */
export function holderProcessGone(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid === undefined) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "ESRCH";
  }
}

/**
 * Whether a holder is demonstrably alive: it renewed its lease within three
 * heartbeats (plus a second of slack), or within one heartbeat when its
 * process is gone from this host (a host name shared between containers
 * cannot fake a death that way: the renewals still count). Unknown holders
 * (no lease recorded) count as alive until their lease ends.
 */
export function holderAlive(state: LockState): boolean {
  if (state.expiresInMs <= 0) return false;
  const { leaseMs } = state.holder;
  if (leaseMs === undefined || state.renewedMsAgo === undefined) return true;
  const beats = holderProcessGone(state.holder) ? 1 : 3;
  return state.renewedMsAgo <= beats * heartbeatMs(leaseMs) + 1000;
}

/** This process's holder record for a new run. */
export function newHolder(leaseMs: number): LockHolder {
  return {
    id: randomUUID(),
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
    leaseMs,
  };
}

/** The lock row's `owner` text for a holder (JSON; older versions wrote a bare id). */
export function encodeHolder(holder: LockHolder): string {
  return JSON.stringify(holder);
}

/** Reads an `owner` text back; a bare id (older versions) has only `id`. */
export function decodeHolder(owner: string): LockHolder {
  try {
    const value = JSON.parse(owner) as Partial<LockHolder>;
    if (typeof value === "object" && value !== null && typeof value.id === "string") {
      return {
        id: value.id,
        host: typeof value.host === "string" ? value.host : undefined,
        pid: typeof value.pid === "number" ? value.pid : undefined,
        since: typeof value.since === "string" ? value.since : undefined,
        leaseMs: typeof value.leaseMs === "number" ? value.leaseMs : undefined,
      };
    }
  } catch {
    // A bare id.
  }
  return { id: owner, host: undefined, pid: undefined, since: undefined, leaseMs: undefined };
}
