/**
 * Tests talk to the emulator the way Recur does: the official SDK over HTTP. `maxNetworkRetries`
 * is 0 so a test sees each emulator answer as is, not the SDK's retry of it.
 */
import Stripe from 'stripe';
import type { StripeErrorBody } from '../core/errors.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator.js';

export const TEST_KEY = 'sk_test_emulator_tests';

export function sdkFor(
  emulator: Emulator,
  options: { key?: string; maxNetworkRetries?: number } = {},
): Stripe {
  return new Stripe(options.key ?? TEST_KEY, {
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
  });
}

export interface Harness {
  emulator: Emulator;
  stripe: Stripe;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  return { emulator, stripe: sdkFor(emulator) };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: { error?: StripeErrorBody; [field: string]: unknown };
}

/** A raw request, for what the SDK cannot send (malformed bodies, missing keys). */
export async function rawRequest(
  emulator: Emulator,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.Authorization = `Bearer ${options.key ?? TEST_KEY}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body: options.body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as RawResponse['json'],
  };
}

/** The Stripe error a call fails with; fails the test if the call succeeds. */
export async function stripeError(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('Expected the Stripe call to fail, but it succeeded');
}
