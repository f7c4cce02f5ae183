/** What a rate limiter answers for one request. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Decides whether a client may post now. The built-in one ({@link createMemoryRateLimiter}) keeps
 * its buckets in memory, which is right for one process; several instances (serverless, edge)
 * share a limit through their own implementation (a KV store, a database row per client).
 */
export interface RateLimiter {
  /** Takes one token from `client`'s bucket. */
  take(client: string): RateDecision | Promise<RateDecision>;
}

/**
 * A token bucket per client, in memory: `max` requests at once, refilled at `max` per
 * `windowSeconds`. Buckets that are full again are forgotten, so memory stays bounded by the
 * clients of one window.
 *
 * @example
 * ```ts
 * const limiter = createMemoryRateLimiter({ max: 5, windowSeconds: 60 });
 * limiter.take('203.0.113.9'); // { ok: true }
 * ```
 */
export function createMemoryRateLimiter(options: {
  max: number;
  windowSeconds: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}): RateLimiter {
  const { max, windowSeconds } = options;
  const now = options.now ?? Date.now;
  const perMs = max / (windowSeconds * 1000);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client) {
      const time = now();
      if (buckets.size > 10_000) {
        for (const [key, bucket] of buckets) {
          if (bucket.tokens + (time - bucket.at) * perMs >= max) buckets.delete(key);
        }
      }
      const bucket = buckets.get(client) ?? { tokens: max, at: time };
      const tokens = Math.min(max, bucket.tokens + (time - bucket.at) * perMs);
      if (tokens < 1) {
        buckets.set(client, { tokens, at: time });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(client, { tokens: tokens - 1, at: time });
      return { ok: true };
    },
  };
}
