/** A subscribing scheduler's FrameworkInfo, checked and turned into Framework spec fields. Pure. */
import { ROLE_PATTERN } from '../../api/schema/common.js';
import type { FrameworkSpecInput } from '../../api/types.js';
import type { FrameworkInfo } from '../mesos/types/v1.js';

/** Mesos' default failover timeout is 0: a scheduler that goes away loses its tasks at once. */
const DEFAULT_FAILOVER_SECONDS = 0;
const ROLE = new RegExp(ROLE_PATTERN);

type FrameworkInfoFields = NonNullable<FrameworkSpecInput['frameworkInfo']>;

export type FrameworkInfoCheck =
  | {
      ok: true;
      role: string;
      spec: Pick<FrameworkSpecInput, 'role' | 'failoverTimeoutSeconds' | 'frameworkInfo'>;
    }
  | { ok: false; message: string };

/** The role kmesos gives the framework (one: the first of `roles`, else `role`, else `*`). */
export function checkFrameworkInfo(info: FrameworkInfo, path: string): FrameworkInfoCheck {
  const capabilities = (info.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN');
  const multiRole = capabilities.includes('MULTI_ROLE');
  const roles = multiRole ? (info.roles ?? []) : info.role !== undefined ? [info.role] : [];
  if (!multiRole && (info.roles?.length ?? 0) > 0)
    return { ok: false, message: `${path}.roles: set only with the MULTI_ROLE capability; use ${path}.role` };
  if (roles.length > 1)
    return { ok: false, message: `${path}.roles: kmesos gives a framework one role, not ${roles.length}` };
  const role = roles[0] ?? '*';
  if (!ROLE.test(role))
    return {
      ok: false,
      message: `${path}.${multiRole ? 'roles[0]' : 'role'}: '${role}' is not a role kmesos serves: '*' or DNS labels separated by '/', e.g. eng/ml`,
    };
  const failover = info.failover_timeout ?? DEFAULT_FAILOVER_SECONDS;
  if (!Number.isFinite(failover) || failover < 0)
    return { ok: false, message: `${path}.failover_timeout: must be a non-negative number of seconds` };
  return {
    ok: true,
    role,
    spec: {
      role,
      failoverTimeoutSeconds: Math.min(Math.ceil(failover), Number.MAX_SAFE_INTEGER),
      frameworkInfo: frameworkInfoFields(info, capabilities),
    },
  };
}

function frameworkInfoFields(info: FrameworkInfo, capabilities: string[]): FrameworkInfoFields {
  return {
    name: info.name,
    user: info.user,
    ...(info.principal !== undefined ? { principal: info.principal } : {}),
    ...(info.hostname !== undefined ? { hostname: info.hostname } : {}),
    ...(info.webui_url !== undefined ? { webuiUrl: info.webui_url } : {}),
    ...(capabilities.length > 0 ? { capabilities } : {}),
    ...(info.checkpoint !== undefined ? { checkpoint: info.checkpoint } : {}),
  };
}

/** A DNS-label prefix for a Framework named after the scheduler (`generateName`). */
export function frameworkNamePrefix(name: string): string {
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return `${clean || 'framework'}-`;
}
