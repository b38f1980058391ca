import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HubError } from '../../core/errors/hub-error';
import type { ApiKeyEntry, ApiRole } from './api-deps';

export type Permission =
  | 'orders:write'
  | 'orders:read'
  | 'orders:approve'
  | 'orders:operate'
  | 'deliveries:read'
  | 'deliveries:replay'
  | 'raw:read'
  | 'reference:write';

/** The one table of who may do what. A route names a permission, never a role. */
export const PERMISSIONS: Readonly<Record<Permission, readonly ApiRole[]>> = {
  'orders:write': ['intake', 'admin'],
  'orders:read': ['admin', 'operator', 'intake', 'viewer', 'sales', 'finance', 'production'],
  'orders:approve': ['sales', 'finance', 'production', 'admin'],
  'orders:operate': ['operator', 'admin'],
  'deliveries:read': ['operator', 'viewer', 'admin'],
  'deliveries:replay': ['operator', 'admin'],
  'raw:read': ['operator', 'admin', 'viewer'],
  'reference:write': ['operator', 'admin'],
};

/** No key, or a key that matches no configured hash. */
export class UnauthenticatedError extends HubError {
  constructor(message = 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)') {
    super('auth.unauthenticated', message, 'user');
  }
}

/** A known key whose role lacks the permission the route needs. */
export class ForbiddenError extends HubError {
  constructor(keyName: string, role: ApiRole, permission: Permission) {
    super('auth.forbidden', `API key "${keyName}" (role ${role}) lacks permission ${permission}`, 'user');
  }
}

export interface Principal {
  readonly name: string;
  readonly role: ApiRole;
}

/** The form config stores: `sha256:` and the hex digest of the key. Used by `order-hub hash-key`. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

const HASH_PATTERN = /^sha256:([0-9a-f]{64})$/;

interface KeyRecord extends Principal {
  readonly digest: Buffer;
}

/**
 * Finds which configured key a presented key is. Every entry is compared with timingSafeEqual and
 * the loop never stops early, so the time taken says nothing about which key (if any) matched.
 */
export function createKeyLookup(entries: readonly ApiKeyEntry[]): (presented: string) => Principal | undefined {
  const records: KeyRecord[] = entries.map((entry) => {
    const match = HASH_PATTERN.exec(entry.hash);
    if (!match) throw new Error(`API key "${entry.name}": hash must be sha256:<64 hex digits>`);
    return { name: entry.name, role: entry.role, digest: Buffer.from(match[1]!, 'hex') };
  });
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: KeyRecord | undefined;
    for (const record of records) {
      if (timingSafeEqual(digest, record.digest) && !found) found = record;
    }
    return found && { name: found.name, role: found.role };
  };
}

/** `Authorization: Bearer <key>` wins over `X-API-Key`; any other Authorization scheme counts as no key. */
function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return apiKeyHeader?.trim() || undefined;
}

/**
 * A middleware generic in the route parameters, so that placing it before a handler leaves express's
 * inference of `req.params` from the path (`/orders/:id` → `{ id: string }`) intact.
 */
export type RouteMiddleware = <P>(req: Request<P>, res: Response, next: NextFunction) => void;
export type Authenticate = (permission: Permission) => RouteMiddleware;

const PRINCIPAL = Symbol('principal');
type LocalsWithPrincipal = Record<string | symbol, unknown> & { [PRINCIPAL]?: Principal };

/**
 * Middleware factory: `authenticate('orders:write')` lets the request through only with a known key
 * whose role holds the permission, and records the key's principal for {@link principalOf}.
 */
export function createAuthenticate(entries: readonly ApiKeyEntry[]): Authenticate {
  const lookup = createKeyLookup(entries);
  return (permission) => (req, res, next) => {
    const key = presentedKey(req.get('authorization'), req.get('x-api-key'));
    const principal = key === undefined ? undefined : lookup(key);
    if (!principal) throw new UnauthenticatedError();
    if (!PERMISSIONS[permission].includes(principal.role)) throw new ForbiddenError(principal.name, principal.role, permission);
    (res.locals as LocalsWithPrincipal)[PRINCIPAL] = principal;
    next();
  };
}

/** The authenticated caller; undefined on routes without authentication. */
export function principalOf(res: { locals: object }): Principal | undefined {
  return (res.locals as LocalsWithPrincipal)[PRINCIPAL];
}

/** The caller on an authenticated route; its absence is a wiring bug, hence a plain Error (→ 500). */
export function requirePrincipal(res: { locals: object }): Principal {
  const principal = principalOf(res);
  if (!principal) throw new Error('route is missing its authenticate() middleware');
  return principal;
}
