import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { AlertsPage } from '../alerts/AlertsPage.js';
import { AuditPage } from '../audit/AuditPage.js';
import { CustomerPage } from '../customers/CustomerPage.js';
import { CustomersPage } from '../customers/CustomersPage.js';
import { DashboardPage } from '../dashboard/DashboardPage.js';
import { DisputesPage } from '../disputes/DisputesPage.js';
import { EventsPage } from '../events/EventsPage.js';
import { InvoicesPage } from '../invoices/InvoicesPage.js';
import { PlansPage } from '../plans/PlansPage.js';
import { PriceMigrationsPage } from '../price-migrations/PriceMigrationsPage.js';
import { RefundsPage } from '../refunds/RefundsPage.js';
import { SettingsPage } from '../settings/SettingsPage.js';
import { SubscriptionDetailPage } from '../subscriptions/SubscriptionDetailPage.js';
import { SubscriptionsPage } from '../subscriptions/SubscriptionsPage.js';
import { SyncPage } from '../sync/SyncPage.js';
import { EndpointDetailPage } from '../webhooks/EndpointDetailPage.js';
import { WebhooksPage } from '../webhooks/WebhooksPage.js';
import { Shell } from './Shell.js';

const root = createRootRoute({ component: Shell });

const page = <Path extends string>(path: Path, component: () => React.ReactNode) =>
  createRoute({ getParentRoute: () => root, path, component });

const subscriptionDetail = createRoute({
  getParentRoute: () => root,
  path: '/subscriptions/$id',
  component: function SubscriptionDetailRoute() {
    const { id } = subscriptionDetail.useParams();
    return <SubscriptionDetailPage id={id} />;
  },
});

const customerDetail = createRoute({
  getParentRoute: () => root,
  path: '/customers/$id',
  component: function CustomerDetailRoute() {
    const { id } = customerDetail.useParams();
    return <CustomerPage id={id} />;
  },
});

const endpointDetail = createRoute({
  getParentRoute: () => root,
  path: '/webhooks/$id',
  component: function EndpointDetailRoute() {
    const { id } = endpointDetail.useParams();
    return <EndpointDetailPage id={id} />;
  },
});

const tree = root.addChildren([
  page('/', DashboardPage),
  page('/plans', PlansPage),
  page('/price-migrations', PriceMigrationsPage),
  page('/subscriptions', SubscriptionsPage),
  subscriptionDetail,
  page('/customers', CustomersPage),
  customerDetail,
  page('/invoices', InvoicesPage),
  page('/refunds', RefundsPage),
  page('/disputes', DisputesPage),
  page('/events', EventsPage),
  page('/webhooks', WebhooksPage),
  endpointDetail,
  page('/sync', SyncPage),
  page('/alerts', AlertsPage),
  page('/audit', AuditPage),
  page('/settings', SettingsPage),
]);

/** `recur serve` answers every path under /admin with the app, so the router owns them all. */
export const router = createRouter({ routeTree: tree, basepath: '/admin' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
