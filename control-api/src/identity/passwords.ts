// Password hashing (argon2id), the shared password rule, and one-time temporary passwords.
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';

export const PASSWORD_LENGTH_MIN = 8;
/** argon2 hashes any length, but a megabyte "password" is a denial-of-service attempt. */
export const PASSWORD_LENGTH_MAX = 256;

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_LENGTH_MIN, `must be at least ${PASSWORD_LENGTH_MIN} characters`)
  .max(PASSWORD_LENGTH_MAX);

export const emailSchema = z.string().trim().toLowerCase().email().max(254);

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Verifying against this keeps the time of an unknown account like that of a wrong password. */
let dummyHash: Promise<string> | null = null;

/**
 * Made on the first unknown account only: started on every first verify and left un-awaited, it ran in
 * the thread pool for nothing, and a process ending meanwhile aborted inside argon2's addon.
 */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('kiunga-dummy-password');
  return dummyHash;
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  const isValid = await argon2.verify(passwordHash ?? (await dummyPasswordHash()), password);
  return passwordHash !== null && isValid;
}

/** 12 characters of base64url: ~72 bits, handed over once by the account's superior. */
export function generateTemporaryPassword(): string {
  return randomBytes(9).toString('base64url');
}
