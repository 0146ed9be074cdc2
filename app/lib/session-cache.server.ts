import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { LRUCache } from "lru-cache";

// Every Shopify webhook and admin request loads the shop's offline session; at webhook rates
// that read is a large share of the work. Sessions change rarely (install, token exchange,
// uninstall), so a short-lived in-process cache serves the repeats. Writes through this
// storage invalidate at once; a change made by another process (or by app/uninstalled's own
// delete) is seen within TTL_MS, and `forgetCachedSessions` clears a shop at once here.

const TTL_MS = 5_000;
/**
 * Entries kept at most, least recently used evicted first. Misses are cached too (a shop
 * without a session), so without a cap every id ever asked for would stay.
 */
export const SESSION_CACHE_MAX = 5_000;

const cache = new LRUCache<string, { session: Session | undefined }>({ max: SESSION_CACHE_MAX, ttl: TTL_MS });

/** Entries held now (for the memory tests). */
export function cachedSessionCount(): number {
  return cache.size;
}

export function forgetCachedSessions(shop?: string) {
  if (!shop) return cache.clear();
  for (const [id, entry] of cache.entries())
    if (entry.session?.shop === shop || id === `offline_${shop}`) cache.delete(id);
}

export class CachedSessionStorage implements SessionStorage {
  constructor(private readonly storage: SessionStorage) {}

  async storeSession(session: Session): Promise<boolean> {
    cache.delete(session.id);
    return this.storage.storeSession(session);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = cache.get(id);
    if (hit) return hit.session;
    const session = await this.storage.loadSession(id);
    cache.set(id, { session });
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    cache.delete(id);
    return this.storage.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) cache.delete(id);
    return this.storage.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.storage.findSessionsByShop(shop);
  }
}
