/**
 * The resource modules every emulator installs, in order. A new family of resources (billing,
 * hosted pages) plugs in by adding its module to this list; see README.md.
 */
import { billingModule } from './billing/index.js';
import { metersModule } from './billing/meters/index.js';
import type { EmulatorModule } from './core/context.js';
import { hostedModule } from './hosted/index.js';
import { catalogModules } from './resources/index.js';
import { unmodeledReferencesModule } from './resources/unmodeled-references.js';
import { webhookModules } from './webhooks/index.js';

export const builtInModules: EmulatorModule[] = [
  ...webhookModules,
  ...catalogModules,
  metersModule,
  billingModule,
  hostedModule,
  unmodeledReferencesModule,
];
