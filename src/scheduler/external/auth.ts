/**
 * Who calls the Mesos scheduler API, and whether they may. Callers authenticate with a
 * Kubernetes bearer token (TokenReview), or with Mesos-style Basic credentials (principal and
 * secret) kept in a Kubernetes Secret; anonymous calls are served only when configured. Token
 * callers are authorized with a SubjectAccessReview: `create` on `frameworks/scheduler`
 * (group kmesos.io) in the framework's namespace. A Basic credential is its own authorization.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../util/clock.js';

export interface Caller {
  /** The Mesos principal: the Kubernetes user name, the Basic principal, or empty when anonymous. */
  principal: string;
  kind: 'token' | 'basic' | 'anonymous';
  /** Token callers: what the SubjectAccessReview asks about. */
  user?: { username: string; uid?: string; groups: string[] };
}

export type Authenticated = { ok: true; caller: Caller } | { ok: false; status: 401 | 503; message: string };
export type Authorized = { ok: true } | { ok: false; status: 403 | 503; message: string };

export interface TokenReviewResult {
  authenticated: boolean;
  username?: string;
  uid?: string;
  groups?: string[];
  error?: string;
}

/** What a token caller must be allowed: a SubjectAccessReview's resource attributes. */
export interface AccessRequest {
  /** The API group; kmesos.io when absent, '' for the core group (nodes, pods). */
  readonly group?: string;
  /** '' for all namespaces. */
  readonly namespace: string;
  readonly verb: string;
  readonly resource: string;
  readonly subresource?: string;
}

/** Subscribing a framework in a namespace. */
export function scheduleAccess(namespace: string): AccessRequest {
  return { namespace, verb: 'create', resource: 'frameworks', subresource: 'scheduler' };
}

/** Reading the master's state, which shows every namespace's tasks. */
export const READ_ACCESS: AccessRequest = { namespace: '', verb: 'list', resource: 'tasks' };

function describeAccess(a: AccessRequest): string {
  const group = a.group ?? 'kmesos.io';
  const what = `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}${group ? ` (${group})` : ''}`;
  return `${what} ${a.namespace ? `in namespace ${a.namespace}` : 'in all namespaces'}`;
}

/** The Kubernetes calls authentication makes (client-node in production, fakes in unit tests). */
export interface AuthBackend {
  tokenReview(token: string): Promise<TokenReviewResult>;
  /** Whether the user may do what the request names. */
  accessReview(
    user: NonNullable<Caller['user']>,
    request: AccessRequest,
  ): Promise<{ allowed: boolean; reason?: string }>;
  /** principal → secret, from the credentials Secret; empty when there is none. */
  credentials(): Promise<ReadonlyMap<string, string>>;
}

export interface AuthOptions {
  anonymous: boolean;
  /** How long an answer (a token's review, an access review) is reused. */
  cacheMs: number;
  clock: Clock;
}

const MAX_CACHED = 4096;
const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):[^:]+$/;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The namespace of a ServiceAccount user (`system:serviceaccount:<ns>:<name>`), if it is one. */
export function serviceAccountNamespace(caller: Caller): string | undefined {
  return caller.user ? SERVICE_ACCOUNT.exec(caller.user.username)?.[1] : undefined;
}

/**
 * Where a caller's frameworks live: a ServiceAccount's own namespace when kmesos serves it,
 * else the configured one (--mesos-namespace).
 */
export function frameworkNamespace(caller: Caller, served: readonly string[], fallback: string): string {
  const ns = serviceAccountNamespace(caller);
  return ns !== undefined && (served.length === 0 || served.includes(ns)) ? ns : fallback;
}

export class Auth {
  private readonly cache = new Map<string, { at: number; value: Authenticated | Authorized }>();

  constructor(
    private readonly backend: AuthBackend,
    private readonly options: AuthOptions,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    if (authorization === undefined || authorization.trim() === '') {
      if (this.options.anonymous) return { ok: true, caller: { principal: '', kind: 'anonymous' } };
      return {
        ok: false,
        status: 401,
        message: 'Missing credentials: send a bearer token or Basic credentials',
      };
    }
    const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme))
      return this.cached(`t:${value}`, () => this.token(value)) as Promise<Authenticated>;
    if (/^basic$/i.test(scheme)) return this.basic(value);
    return { ok: false, status: 401, message: `Unsupported authorization scheme '${scheme}'` };
  }

  /** May the caller run a framework in the namespace? */
  authorize(caller: Caller, namespace: string): Promise<Authorized> {
    return this.allowed(caller, scheduleAccess(namespace));
  }

  /** May the caller read the master's state (every namespace's frameworks and tasks)? */
  authorizeRead(caller: Caller): Promise<Authorized> {
    return this.allowed(caller, READ_ACCESS);
  }

  /** May the caller do what the request names (the operator API's writes)? */
  authorizeAccess(caller: Caller, request: AccessRequest): Promise<Authorized> {
    return this.allowed(caller, request);
  }

  private async allowed(caller: Caller, request: AccessRequest): Promise<Authorized> {
    const user = caller.user;
    if (caller.kind !== 'token' || !user) return { ok: true };
    const key = `a:${describeAccess(request)}:${user.username}:${user.groups.join(',')}`;
    return this.cached(key, async () => {
      const review = await this.backend.accessReview(user, request);
      if (review.allowed) return { ok: true };
      return {
        ok: false,
        status: 403,
        message: `${user.username} may not ${describeAccess(request)}${review.reason ? `: ${review.reason}` : ''}`,
      };
    }) as Promise<Authorized>;
  }

  private async token(token: string): Promise<Authenticated> {
    const r = await this.backend.tokenReview(token);
    if (!r.authenticated || !r.username)
      return { ok: false, status: 401, message: `Invalid bearer token${r.error ? `: ${r.error}` : ''}` };
    return {
      ok: true,
      caller: {
        principal: r.username,
        kind: 'token',
        user: { username: r.username, ...(r.uid ? { uid: r.uid } : {}), groups: r.groups ?? [] },
      },
    };
  }

  private async basic(value: string): Promise<Authenticated> {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { ok: false, status: 401, message: 'Malformed Basic credentials' };
    const principal = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const known = (await this.backend.credentials()).get(principal);
    if (known === undefined || !same(known, secret))
      return { ok: false, status: 401, message: `Unknown principal or wrong secret for '${principal}'` };
    return { ok: true, caller: { principal, kind: 'basic' } };
  }

  /** Reuses an answer for cacheMs: a busy framework's calls do not each cost two API requests. */
  private async cached(
    key: string,
    compute: () => Promise<Authenticated | Authorized>,
  ): Promise<Authenticated | Authorized> {
    const now = this.options.clock.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.options.cacheMs) return hit.value;
    const value = await compute();
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { at: now, value });
    return value;
  }
}
