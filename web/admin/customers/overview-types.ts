import type { paths } from '../../src/api/schema.gen.js';

/** The customer page's one answer, straight from the generated API types. */
export type CustomerOverview =
  paths['/api/admin/customers/{id}/overview']['get']['responses'][200]['content']['application/json'];
export type OverviewSubscription = CustomerOverview['subscriptions'][number];
export type OverviewEvent = CustomerOverview['events'][number];
export type SearchHit =
  paths['/api/admin/search']['get']['responses'][200]['content']['application/json']['data'][number];

/** The query key of a customer's overview: every action on the page invalidates it. */
export const overviewKey = (id: string) => ['customer-overview', id];
