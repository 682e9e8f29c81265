/**
 * The Stripe emulator: a local HTTP server that answers the official `stripe` SDK like
 * api.stripe.com, keeps state, and delivers signed webhooks. See README.md.
 */
export { type EmulatorCliOptions, runEmulatorCli } from './cli.js';
export type {
  ApiRequest,
  EmulatorContext,
  EmulatorModule,
  RawHandler,
  RouteDefinition,
} from './core/context.js';
export type { FailureRule, FaultSettings, FaultUpdate } from './core/faults.js';
export type { Logger } from './core/logger.js';
export type { WebhookSettings } from './core/webhook-dispatcher.js';
export { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
