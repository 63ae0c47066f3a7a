// Secrets of the review server: argon2id password hashes, API tokens and session cookies (stored as SHA-256).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** The prefix of every API token, so a leaked one is recognisable (and secret scanners can find it). */
export const TOKEN_PREFIX = "tsp_";

/** Passwords shorter than this are refused. */
export const MIN_PASSWORD = 10;
/** Longer inputs are refused before hashing, so a huge password cannot tie up the server. */
export const MAX_PASSWORD = 1024;

/** argon2id with the parameters OWASP recommends as a minimum (19 MiB, 2 passes, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** Whether `password` matches the stored hash; false (never an exception) for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Why a new password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD) return `the password must have at least ${MIN_PASSWORD} characters`;
  if (password.length > MAX_PASSWORD) return `the password must have at most ${MAX_PASSWORD} characters`;
  return null;
}

/** A hash that verifies nothing, checked against when the account does not exist so that timing does not tell. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A new API token: the secret to show once, and the hash to store. */
export function newToken(): { secret: string; secretHash: string } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { secret, secretHash: sha256(secret) };
}

/** A new session: the cookie value, its stored hash, and the session's CSRF token. */
export function newSession(): { secret: string; idHash: string; csrf: string } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, idHash: sha256(secret), csrf: randomBytes(24).toString("base64url") };
}

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A plausible e-mail address (one @, no spaces or angle brackets), lower-cased; null when it is not one. */
export function normalizeEmail(text: string): string | null {
  const t = text.trim().toLowerCase();
  return /^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/.test(t) && t.length <= 254 ? t : null;
}
