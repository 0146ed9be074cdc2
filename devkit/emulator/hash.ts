import { createHash } from "node:crypto";

/** A stable 32-bit number derived from text; drives everything "random" about a shipment. */
export function stableHash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

export function hexId(text: string): string {
  return createHash("md5").update(text).digest("hex");
}
