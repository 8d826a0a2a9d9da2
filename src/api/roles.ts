/**
 * Role names. A role is `*` or DNS labels joined by `/` (`eng/ml`). Object names and label values
 * cannot hold `/`, so a role's ResourceRole is named with `.` instead (`eng.ml`); role labels on pods
 * use the same spelling, shortened with a hash past 63 characters.
 */
import { DEFAULT_ROLE } from './constants.js';
import { shortHash } from './hash.js';
import { ROLE_PATTERN } from './schema/common.js';

const ROLE = new RegExp(ROLE_PATTERN);
const MAX_ROLE_LENGTH = 200;
const MAX_LABEL_VALUE = 63;

export function isValidRole(role: string): boolean {
  return role.length <= MAX_ROLE_LENGTH && ROLE.test(role);
}

/** The name of the ResourceRole that configures `role`; undefined for `*`, which has none. */
export function resourceRoleName(role: string): string | undefined {
  return role === DEFAULT_ROLE ? undefined : role.replaceAll('/', '.');
}

/** The role a ResourceRole object stands for. */
export function roleOfResourceRole(name: string): string {
  return name.replaceAll('.', '/');
}

/** The value of the `kmesos.io/role` pod label: empty for `*`, `.` for `/`, hashed past 63 chars. */
export function roleLabelValue(role: string): string {
  const value = resourceRoleName(role) ?? '';
  if (value.length <= MAX_LABEL_VALUE) return value;
  const hash = shortHash(role);
  const prefix = value.slice(0, MAX_LABEL_VALUE - hash.length - 1).replace(/[-.]+$/, '');
  return `${prefix}-${hash}`;
}
