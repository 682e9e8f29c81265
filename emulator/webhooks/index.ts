import type { EmulatorModule } from '../core/context.js';
import { webhookEndpointsModule } from './endpoints.js';
import { eventsModule } from './events-api.js';

export const webhookModules: EmulatorModule[] = [webhookEndpointsModule, eventsModule];
