/**
 * Hosted pages and the APIs behind them: Checkout Sessions with their payment page, and the
 * billing portal. Pages are plain server-rendered HTML served from the emulator itself, at the
 * `url` each session returns. See README.md (Checkout and the billing portal).
 */
import type { EmulatorModule } from '../core/context.js';
import { installCheckoutPages } from './checkout/page-routes.js';
import { installCheckoutRoutes } from './checkout/routes.js';
import { CheckoutSessions } from './checkout/sessions.js';

export const hostedModule: EmulatorModule = {
  name: 'hosted',
  install(ctx) {
    const checkout = new CheckoutSessions(ctx);
    installCheckoutRoutes(ctx, checkout);
    installCheckoutPages(ctx, checkout);
  },
};
