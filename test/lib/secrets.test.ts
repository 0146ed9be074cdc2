import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, secretHint } from "~/lib/secrets.server";

describe("secrets at rest", () => {
  const key = randomBytes(32);

  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret("tm-key-1234", key);
    expect(stored).not.toContain("tm-key-1234");
    expect(decryptSecret(stored, key)).toBe("tm-key-1234");
  });

  it("uses a fresh nonce for every value", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("refuses a tampered value or the wrong key", () => {
    const stored = encryptSecret("tm-key-1234", key);
    const [version, iv, tag, ciphertext] = stored.split(":");
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0] ^= 1;
    expect(() => decryptSecret([version, iv, tag, flipped.toString("base64url")].join(":"), key)).toThrow();
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
  });

  it("shows only the last four characters", () => {
    expect(secretHint("abcdefgh1234")).toBe("••••1234");
  });
});
