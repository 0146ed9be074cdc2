import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

// Every Shopify webhook and admin request loads the shop's offline session; at webhook rates
// that read is a large share of the work. Sessions change rarely (install, token exchange,
// uninstall), so a short-lived in-process cache serves the repeats. Writes through this
// storage invalidate at once; a change made by another process (or by app/uninstalled's own
// delete) is seen within TTL_MS, and `forgetCachedSessions` clears a shop at once here.

const TTL_MS = 5_000;

interface Entry {
  session: Session | undefined;
  expiresAt: number;
}

const cache = new Map<string, Entry>();

export function forgetCachedSessions(shop?: string) {
  if (!shop) return cache.clear();
  for (const [id, entry] of cache)
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
    if (hit && hit.expiresAt > Date.now()) return hit.session;
    const session = await this.storage.loadSession(id);
    cache.set(id, { session, expiresAt: Date.now() + TTL_MS });
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
