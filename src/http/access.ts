import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyService } from '../auth/api-keys.js';
import type { UserTokenVerifier } from '../auth/jwt.js';
import type { Access, Principal, Role } from '../auth/principal.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required: a route without it fails at start-up. */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Enforces each route's declared access and records the table, so tests can walk every route.
 * API keys (`rk_…`) are looked up by hash; anything else in a Bearer header is an end-user JWT.
 */
export function registerAccessControl(
  app: FastifyInstance,
  deps: { apiKeys: ApiKeyService; userTokens: UserTokenVerifier },
): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') && route.config?.access === undefined) {
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access });
    }
    // Signed routes (webhooks) check their own signature: they get no hook at all, which keeps
    // the busiest route free of per-request work it does not need.
    if (access === 'signed') return;
    const hook = access === 'public' ? optionalCredential : requiredCredential(access);
    route.onRequest = [hook, ...[route.onRequest ?? []].flat()];
  });

  async function authenticate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('Authorization must be "Bearer <key or token>"');
    const credential = match[1]!;
    if (credential.startsWith('rk_')) {
      const key = await deps.apiKeys.authenticate(credential);
      if (!key) throw new UnauthorizedError('Unknown or revoked API key');
      return { kind: 'api_key', role: key.role, keyId: key.id };
    }
    const user = await deps.userTokens.verify(credential);
    if (!user) throw new UnauthorizedError('Invalid or expired token');
    return { kind: 'user', role: 'user', ...user };
  }

  async function optionalCredential(request: FastifyRequest): Promise<void> {
    // A credential on a public route is optional, but a bad one is still an error worth telling.
    if (request.headers.authorization) request.principal = await authenticate(request);
  }

  function requiredCredential(roles: readonly Role[]) {
    return async (request: FastifyRequest): Promise<void> => {
      const principal = await authenticate(request);
      if (!principal) throw new UnauthorizedError();
      if (!roles.includes(principal.role)) throw new ForbiddenError(`This route is for: ${roles.join(', ')}`);
      request.principal = principal;
    };
  }

  return table;
}
