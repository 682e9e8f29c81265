import type { paths } from '../../src/api/schema.gen.js';

/** The JSON body a GET answers with 200, straight from the generated API types. */
type Ok<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

export type Plan = Ok<'/api/plans'>['data'][number];
export type Price = Plan['prices'][number];
export type Subscription = Ok<'/api/subscriptions/{id}'>;
export type EventRow = Ok<'/api/admin/events'>['data'][number];
export type EventStatus = EventRow['status'];
export type AuditRow = Ok<'/api/admin/audit'>['data'][number];
export type SyncRun = Ok<'/api/admin/sync'>['data'][number];
export type Invoice = Ok<'/api/invoices'>['data'][number];
export type Customer = Ok<'/api/customers'>['data'][number];
export type Refund = Ok<'/api/refunds'>['data'][number];
export type Dispute = Ok<'/api/admin/disputes'>['data'][number];

type Body<P extends keyof paths, M extends 'post' | 'patch' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type CreatePlanBody = Body<'/api/plans', 'post'>;
export type UpdatePlanBody = Body<'/api/plans/{id}', 'patch'>;

export type WebhookEndpoint = Ok<'/api/admin/webhook-endpoints'>['data'][number];
export type WebhookDelivery = Ok<'/api/admin/webhook-endpoints/{id}/deliveries'>['data'][number];
export type WebhookDeliveryDetail = Ok<'/api/admin/webhook-deliveries/{id}'>;
export type WebhookEndpointBody = Body<'/api/admin/webhook-endpoints', 'post'>;
export type WebhookEventType = NonNullable<WebhookEndpointBody['event_types']>[number];

export type AlertIncident = Ok<'/api/admin/alerts'>['open'][number];
export type AlertRules = Ok<'/api/admin/alerts/rules'>;

export type PriceMigrationBody = Body<'/api/admin/price-migrations', 'post'>;
export type PriceMigrationTiming = PriceMigrationBody['timing'];
export type PriceMigration = Ok<'/api/admin/price-migrations'>['data'][number];
export type PriceMigrationDetail = Ok<'/api/admin/price-migrations/{id}'>;
export type PriceMigrationDryRun = NonNullable<
  paths['/api/admin/price-migrations/dry-run']['post']['responses'][200]['content']['application/json']
>;
