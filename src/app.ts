import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { alertRoutes } from './alerts/routes.js';
import { EndpointService } from './app-webhooks/endpoint-service.js';
import { appWebhooksOpenApi } from './app-webhooks/openapi-webhooks.js';
import { appWebhookEndpointRoutes } from './app-webhooks/routes.js';
import { appWebhookDeliveryRoutes } from './app-webhooks/routes-deliveries.js';
import { checkTarget } from './app-webhooks/target-guard.js';
import { registerAuditScope } from './audit/http-scope.js';
import { auditRoutes } from './audit/routes.js';
import { apiKeyRoutes } from './auth/routes.js';
import { billingLinkRoutes } from './billing-links/routes.js';
import { checkoutRoutes } from './checkout/routes.js';
import { creditRoutes } from './credits/routes.js';
import { customerAdminRoutes } from './customers/admin-routes.js';
import { CustomerLookup } from './customers/lookup.js';
import { CustomerOverviewService } from './customers/overview.js';
import { customerRoutes } from './customers/routes.js';
import { disputeRoutes } from './disputes/routes.js';
import { entitlementRoutes } from './entitlements/routes.js';
import { eventAdminRoutes } from './events/admin-routes.js';
import { stripeWebhookRoutes } from './events/webhook-routes.js';
import { healthRoutes } from './health/routes.js';
import { type RouteAccess, registerAccessControl } from './http/access.js';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './http/error-handler.js';
import { frontDoorRoutes } from './http/front-door.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerHttpMetrics } from './http/metrics-hook.js';
import { newRequestId } from './http/request-id.js';
import { webAppRoutes } from './http/web-app.js';
import { WebhookLimiter } from './http/webhook-limits.js';
import { invoiceRoutes } from './invoices/routes.js';
import { organizationRoutes } from './organizations/routes.js';
import { seatRoutes } from './organizations/seat-routes.js';
import { paymentWebhookRoutes } from './payment-webhook/routes.js';
import { planRoutes } from './plans/routes.js';
import { priceMigrationRoutes } from './price-migrations/routes.js';
import { refundRoutes } from './refunds/routes.js';
import { reportRoutes } from './reports/routes.js';
import type { Services } from './services.js';
import { brandingRoutes } from './settings/branding-routes.js';
import { settingsRoutes } from './settings/routes.js';
import { subscriptionCreationRoutes } from './subscriptions/creation-routes.js';
import { subscriptionRoutes } from './subscriptions/routes.js';
import { syncRoutes } from './sync/routes.js';
import { meterRoutes } from './usage/meter-routes.js';
import { usageRoutes } from './usage/routes.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuiltApp {
  app: FastifyInstance;
  /** Every route with its declared access, for the auth walk and the docs. */
  routes: RouteAccess[];
}

/**
 * Fastify's `trustProxy` for the configured proxies. A number of hops becomes proxy-addr's own
 * rule for it (the `hop` nearest entries are believed), which Fastify's types do not spell.
 */
function trustedProxies(
  trust: false | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/**
 * One log line per request, once it is answered, holding what Fastify's two (on arrival and on
 * answer) would: at the webhook endpoint's rates each line is a measurable part of the request.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** Builds the HTTP app from its services; no globals, so tests build as many as they like. */
export async function buildApp(services: Services): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: newRequestId,
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    trustProxy: trustedProxies(services.config.trustProxy),
    // A client that sends slowly is cut: whole request, headers, idle keep-alive (`recur serve`
    // also caps the number of connections). Checked every second rather than Node's 30 s.
    requestTimeout: services.config.http.requestTimeoutMs,
    keepAliveTimeout: services.config.http.keepAliveTimeoutMs,
    http: {
      headersTimeout: services.config.http.headersTimeoutMs,
      requestTimeout: services.config.http.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    // Answered before routing, without hooks or the error handler: see answerFrameworkError.
    frameworkErrors: (error, request, reply) => answerFrameworkError(error, request, reply.raw),
    clientErrorHandler: answerClientError,
  });
  app.server.maxConnections = services.config.http.maxConnections;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Callback-style hooks: every request passes through these, and an async hook costs a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // API answers are the caller's own (customers, emails, invoices): no cache keeps them. A route
    // that may be cached says so itself.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    else if (request.url.startsWith('/docs')) reply.header('referrer-policy', 'no-referrer');
    done();
  });

  registerErrorHandling(app);
  const webhookLimits = {
    signedPerMinute: services.config.stripe.webhookRateLimitPerMinute,
    refusedPerMinute: services.config.stripe.webhookRefusedRateLimitPerMinute,
  };
  const routes = registerAccessControl(app, { apiKeys: services.apiKeys, userTokens: services.userTokens });
  registerIdempotency(app, services.database.db);
  registerAuditScope(app, services.database.db);
  registerHttpMetrics(app, services.metrics);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recur API',
        version: services.version,
        description:
          'Subscription billing beside Stripe. Authenticate with `Authorization: Bearer rk_…` (API keys) or the host app’s user JWT.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (rk_…) or an end-user JWT' },
        },
      },
      security: [{ bearer: [] }],
      webhooks: appWebhooksOpenApi(),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The UI's own policy (hashes of its inline scripts), but never framed, and no upgrade of
    // requests on a plain-HTTP install.
    staticCSP: true,
    transformStaticCSP: (policy) =>
      policy
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(' upgrade-insecure-requests;', ''),
  });

  await app.register(
    healthRoutes({
      checks: services.readinessChecks,
      stripe: { mode: services.config.stripe.mode, emulated: services.config.stripe.emulated },
      version: services.version,
      metricsText: () => services.metrics.registry.metrics(),
      metricsContentType: services.metrics.registry.contentType,
    }),
  );
  await app.register(apiKeyRoutes(services.apiKeys));
  await app.register(planRoutes(services.plans));
  await app.register(customerRoutes(services.customers));
  await app.register(
    customerAdminRoutes({
      overview: new CustomerOverviewService({
        db: services.database.db,
        cipher: services.cipher,
        customers: services.customers,
        subscriptions: services.subscriptions,
        invoices: services.invoices,
        disputes: services.disputes,
        entitlements: services.entitlements,
        credits: services.credits.service,
      }),
      lookup: new CustomerLookup({ db: services.database.db, cipher: services.cipher }),
    }),
  );
  await app.register(organizationRoutes(services.organizations));
  await app.register(seatRoutes(services.seats));
  await app.register(checkoutRoutes(services.checkout));
  await app.register(billingLinkRoutes(services.billingLinks));
  await app.register(entitlementRoutes(services.entitlements));
  await app.register(creditRoutes(services.credits.service));
  await app.register(usageRoutes(services.usage));
  await app.register(invoiceRoutes(services.invoices));
  await app.register(refundRoutes(services.refunds));
  await app.register(disputeRoutes(services.disputes));
  await app.register(subscriptionRoutes(services.subscriptions));
  await app.register(reportRoutes(services.reports));
  await app.register(priceMigrationRoutes(services.priceMigrations.service));
  await app.register(stripeWebhookRoutes, {
    inbox: services.inbox,
    secrets: () => services.webhookSecrets,
    limits: new WebhookLimiter(services.rateLimiter, 'webhook', webhookLimits),
    signatureRefused: () => services.signatureFailures.record(),
  });
  await app.register(subscriptionCreationRoutes(services.subscriptionCreation));
  await app.register(paymentWebhookRoutes, {
    intake: services.paymentNotices,
    limits: new WebhookLimiter(services.rateLimiter, 'payment-webhook', webhookLimits),
  });
  await app.register(
    eventAdminRoutes({ db: services.database.db, cipher: services.cipher, queue: services.queue }),
  );
  const webhookEndpoints = new EndpointService({
    db: services.database.db,
    cipher: services.cipher,
    vetTarget: async (url) => {
      const verdict = await checkTarget(url, services.config.appWebhooks);
      return verdict.ok ? null : verdict.reason;
    },
  });
  await app.register(appWebhookEndpointRoutes(webhookEndpoints));
  await app.register(appWebhookDeliveryRoutes(webhookEndpoints));
  await app.register(
    syncRoutes({
      syncs: services.syncs,
      settings: services.settings,
      intervalSeconds: services.config.stripe.syncIntervalSeconds,
    }),
  );
  await app.register(
    settingsRoutes({
      settings: services.settings,
      config: services.config,
      webhookSecretSet: () => services.webhookSecrets.length > 0,
    }),
  );

  await app.register(alertRoutes(services.alerts));
  await app.register(meterRoutes(services.metering));
  await app.register(auditRoutes(services.auditTrail));

  await app.register(brandingRoutes(services.settings));
  await app.register(
    webAppRoutes(undefined, { billingImageOrigins: () => services.settings.branding.imageOrigins() }),
  );
  await app.register(frontDoorRoutes());

  await app.ready();
  return { app, routes };
}

/** The OpenAPI document as committed in `openapi.json` (stable key order, trailing newline). */
export function openApiDocument(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
