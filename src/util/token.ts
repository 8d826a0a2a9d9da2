import { randomBytes } from 'node:crypto';

/** An unguessable token (24 random bytes, base64url): what a Mesos executor authenticates with. */
export function secureToken(): string {
  return randomBytes(24).toString('base64url');
}
