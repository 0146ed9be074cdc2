import { createHash } from "node:crypto";

/** Small seeded generator (mulberry32): same seed, same fault sequence, stable tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit number derived from text; drives everything "random" about a shipment. */
export function stableHash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

export function hexId(text: string): string {
  return createHash("md5").update(text).digest("hex");
}
