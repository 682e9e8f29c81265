/**
 * One Stripe API request, start to finish, in Stripe's order: authenticate, apply faults, route,
 * decode and check parameters, honour the idempotency key, run the handler inside the request
 * context, expand, answer. Every answer carries `Request-Id`; errors carry Stripe's error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, RouteDefinition } from './context.js';
import { apiError, authenticationError, invalidRequest, StripeApiError } from './errors.js';
import type { ExpandRegistry } from './expand.js';
import type { Faults } from './faults.js';
import { type FormTree, parseForm } from './form.js';
import type { IdempotencyKeys, StoredResponse } from './idempotency.js';
import { newId } from './ids.js';
import type { Logger } from './logger.js';
import { p, validateFields } from './params.js';
import type { ReferenceRegistry } from './references.js';
import { runInRequest } from './request-context.js';
import type { HttpMethod, Router } from './router.js';

const MAX_BODY_BYTES = 1024 * 1024;
const EXPAND_SPEC = p.array(p.string());
const API_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

export interface PipelineDeps {
  routes: Router<RouteDefinition>;
  faults: Faults;
  idempotency: IdempotencyKeys;
  expand: ExpandRegistry;
  references: ReferenceRegistry;
  logger: Logger;
  apiVersion: string;
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function errorAnswer(error: StripeApiError, requestId: string): Answer {
  const body = { ...error.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` };
  return { status: error.status, body: JSON.stringify({ error: body }, null, 2) };
}

function redactKey(key: string): string {
  return key.length <= 12 ? key : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

/** Stripe takes the key as Bearer or as the Basic-auth user name (`curl -u sk_test_…:`). */
function authenticate(header: string | undefined): void {
  let key: string | undefined;
  if (header?.startsWith('Bearer ')) key = header.slice(7).trim();
  else if (header?.startsWith('Basic ')) {
    key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  }
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!API_KEY.test(key)) throw authenticationError(`Invalid API Key provided: ${redactKey(key)}`);
}

/**
 * The emulator answers in one shape only, the pinned version's: a request for another version is
 * refused rather than answered in a shape its caller does not expect
 * (https://docs.stripe.com/api/versioning). It is one account and no Connect platform, so a request
 * made on behalf of a connected account is refused as Stripe refuses it for an account that is not
 * a platform (https://docs.stripe.com/connect/authentication#stripe-account-header).
 */
function checkVersionAndAccount(served: string, req: IncomingMessage): void {
  const version = headerValue(req, 'stripe-version');
  if (version !== null && version !== served) {
    throw invalidRequest(
      `Invalid Stripe API version: ${version}. This server serves only the API version ${served}; send that version or none.`,
    );
  }
  if (req.headers['stripe-account'] !== undefined) {
    throw invalidRequest(
      'Only Stripe Connect platforms can work with other accounts. If you specified a client_id parameter, make sure it is correct. If you need to set up a Stripe Connect platform, you can do so at https://dashboard.stripe.com/account/applications/settings.',
    );
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest('Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function handleApiRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): Promise<void> {
  const requestId = newId('req');
  const method = (req.method ?? 'GET').toUpperCase();
  const stripeVersion = deps.apiVersion;
  const idempotencyKey = method === 'POST' ? headerValue(req, 'idempotency-key') : null;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, no-store',
    'Request-Id': requestId,
    'Stripe-Version': stripeVersion,
  };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

  let answer: Answer;
  try {
    answer = await answerApiRequest(deps, req, {
      method,
      path,
      query,
      requestId,
      idempotencyKey,
      stripeVersion,
    });
  } catch (error) {
    if (!(error instanceof StripeApiError))
      deps.logger.error({ err: error, path }, 'emulator handler failed');
    answer = errorAnswer(error instanceof StripeApiError ? error : apiError(), requestId);
  }
  if (!res.headersSent) {
    res.writeHead(answer.status, { ...headers, ...answer.headers });
    res.end(answer.body);
  }
}

interface Incoming {
  method: string;
  path: string;
  query: string;
  requestId: string;
  idempotencyKey: string | null;
  stripeVersion: string;
}

async function answerApiRequest(
  deps: PipelineDeps,
  req: IncomingMessage,
  incoming: Incoming,
): Promise<Answer> {
  const { method, path, requestId, idempotencyKey } = incoming;
  const body = method === 'POST' ? await readBody(req) : '';
  if (deps.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.faults.latencyMs));
  authenticate(req.headers.authorization);
  checkVersionAndAccount(deps.apiVersion, req);
  const fault = deps.faults.failureFor(method, path, Date.now());
  if (fault) throw fault;

  const match = deps.routes.match(method, path);
  if (!match) {
    throw new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }
  const route = match.value;
  const tree: FormTree = parseForm(method === 'POST' ? body || incoming.query : incoming.query);
  const params = validateFields({ ...route.params, expand: EXPAND_SPEC }, tree);
  const endpoint = `${method} ${route.path}`;

  if (idempotencyKey) {
    const outcome = deps.idempotency.begin(idempotencyKey, endpoint, tree);
    if (outcome.kind === 'replay') return replayed(outcome.response);
  }
  const request: ApiRequest = {
    method: method as HttpMethod,
    path,
    pathParams: match.pathParams,
    params,
    requestId,
    idempotencyKey,
    stripeVersion: incoming.stripeVersion,
  };
  let answer: Answer;
  try {
    answer = await runInRequest({ id: requestId, idempotencyKey }, () => execute(deps, route, request));
  } catch (error) {
    if (idempotencyKey) deps.idempotency.abandon(idempotencyKey);
    throw error;
  }
  if (idempotencyKey) {
    deps.idempotency.complete(idempotencyKey, endpoint, tree, {
      status: answer.status,
      body: answer.body,
      originalRequest: requestId,
    });
    answer.headers = { ...answer.headers, 'Original-Request': requestId };
  }
  return answer;
}

/** Runs the handler. Stripe errors the handler raises are answers too, and are kept for replay. */
async function execute(deps: PipelineDeps, route: RouteDefinition, request: ApiRequest): Promise<Answer> {
  try {
    // Looked up as the handler would, so a missing object is an answer kept for replay like its own errors.
    if (route.params) deps.references.check(route.params, request.params);
    const result = await route.handler(request);
    const expanded = deps.expand.apply(result, (request.params.expand as string[] | undefined) ?? []);
    return { status: 200, body: JSON.stringify(expanded, null, 2) };
  } catch (error) {
    if (error instanceof StripeApiError) return errorAnswer(error, request.requestId);
    throw error;
  }
}

function replayed(response: StoredResponse): Answer {
  const headers: Record<string, string> = { 'Idempotent-Replayed': 'true' };
  if (response.originalRequest) headers['Original-Request'] = response.originalRequest;
  return { status: response.status, body: response.body, headers };
}
