/**
 * Hosted pages and the APIs behind them: Checkout Sessions with their payment page, and the
 * billing portal (configurations, sessions, the customer's page). Pages are plain server-rendered
 * HTML served by the emulator itself, at the `url` each session returns. See ../README.md.
 */
import type { EmulatorModule } from '../core/context.js';
import { installCheckoutPages } from './checkout/page-routes.js';
import { installCheckoutRoutes } from './checkout/routes.js';
import { CheckoutSessions } from './checkout/sessions.js';
import { PortalActions } from './portal/actions.js';
import { installConfigurationRoutes, PortalConfigurations } from './portal/configurations.js';
import { installPortalPages } from './portal/page-routes.js';
import { installPortalSessionRoutes, PortalSessions } from './portal/sessions.js';

export const hostedModule: EmulatorModule = {
  name: 'hosted',
  install(ctx) {
    const checkout = new CheckoutSessions(ctx);
    installCheckoutRoutes(ctx, checkout);
    installCheckoutPages(ctx, checkout);

    const configurations = new PortalConfigurations(ctx);
    const portal = new PortalSessions(ctx, configurations);
    installConfigurationRoutes(ctx, configurations);
    installPortalSessionRoutes(ctx, portal);
    installPortalPages(ctx, portal, new PortalActions(ctx, portal));
  },
};
