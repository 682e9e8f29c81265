import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { StripeCustomers } from '../stripe/customers.js';
import { CreditExpirySweep } from './expiry-sweep.js';
import { CreditService } from './service.js';

export type { CreditExpirySweep, CreditService };

export interface Credits {
  service: CreditService;
  /** Started by the worker process (see cli.ts), like the retention sweep. */
  expirySweep: CreditExpirySweep;
}

/** Credits as the routes read and grant them, and the sweep that writes off expired lots. */
export function createCredits(deps: {
  db: Db;
  logger: Logger;
  stripe: StripeCustomers;
  sweepIntervalSeconds: number;
}): Credits {
  const logger = deps.logger.child({ component: 'credits' });
  return {
    service: new CreditService({ db: deps.db, logger, stripe: deps.stripe }),
    expirySweep: new CreditExpirySweep({ db: deps.db, logger, intervalSeconds: deps.sweepIntervalSeconds }),
  };
}
