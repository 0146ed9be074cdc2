import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM with a random 96-bit nonce per value. Stored as "v1:<iv>:<tag>:<ciphertext>"
// (base64url), so the format can change later without guessing.
const VERSION = "v1";

export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(":");
}

/** GCM's full tag. A shorter one would verify by its prefix alone, so it is refused. */
const TAG_BYTES = 16;

/**
 * A stored secret that cannot be read: another TRACKBRIDGE_ENCRYPTION_KEY wrote it (the key was
 * changed or lost), or it was tampered with. The merchant has to enter it again.
 */
export class SecretUnreadableError extends Error {
  constructor(reason: string) {
    super(`Stored secret cannot be decrypted with TRACKBRIDGE_ENCRYPTION_KEY (${reason})`);
    this.name = "SecretUnreadableError";
  }
}

export function decryptSecret(stored: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = stored.split(":");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new SecretUnreadableError("unknown format");
  }
  const tagBytes = Buffer.from(tag, "base64url");
  if (tagBytes.length !== TAG_BYTES) throw new SecretUnreadableError("the tag is not 16 bytes");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAuthTag(tagBytes);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretUnreadableError("another key wrote it, or it was changed");
  }
}

/** What the admin may show of a secret: its last four characters. */
export function secretHint(plaintext: string): string {
  return plaintext.length <= 4 ? "••••" : `••••${plaintext.slice(-4)}`;
}
