/** Billing meters, meter events and their summaries (usage-based billing). See meters.ts, meter-events.ts. */
import type { EmulatorModule } from '../../core/context.js';
import { installMeterEvents } from './meter-events.js';
import { installMeters } from './meters.js';

export const metersModule: EmulatorModule = {
  name: 'billing-meters',
  install(ctx) {
    installMeters(ctx);
    installMeterEvents(ctx);
  },
};
export { activeMeterFor, metersOf, meterUsage } from './meter-store.js';
