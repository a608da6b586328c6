import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Crypto-shredding for the append-only audit trail. The values of an audit row that may hold
 * personal data are encrypted with AES-256-GCM under the data key of their subject (one record or
 * one person, `AuditKey`); erasing the subject deletes the key, and every value ever recorded under
 * it becomes unreadable while the rows — who, when, which fields — stay. The keys sit in the same
 * database: they are a way to delete, not a protection against someone who can read the database.
 */

const PREFIX = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

const KEY_BYTES = 32;

/** `n` fresh data keys, drawn from one call to the random source (a CRM page creates 2,000 records). */
export function newDataKeys(n: number): Buffer[] {
  const pool = randomBytes(n * KEY_BYTES);
  return Array.from({ length: n }, (_, i) => pool.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES));
}

/** `n` fresh IVs for `encryptValues`, from one call to the random source. */
export function newIvs(n: number): Buffer[] {
  const pool = randomBytes(n * IV_BYTES);
  return Array.from({ length: n }, (_, i) => pool.subarray(i * IV_BYTES, (i + 1) * IV_BYTES));
}

/** "v1:" + base64(iv ‖ tag ‖ ciphertext). `iv` must never be used twice with the same key. */
export function encryptValues(key: Buffer, plaintext: string, iv: Buffer = randomBytes(IV_BYTES)): string {
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The plaintext, or null when the stored text is not ours or the key does not open it. */
export function decryptValues(key: Buffer, stored: string): string | null {
  if (!isEncrypted(stored)) return null;
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
