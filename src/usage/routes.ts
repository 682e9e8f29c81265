import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { AppError, NotFoundError, ValidationError } from '../http/errors.js';
import { dateTime, idParams, idText } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import { exactlyOnePayer } from '../organizations/context-schemas.js';
import { organizationRepository } from '../organizations/repository.js';
import type { PayerKey } from './credits-ledger.js';
import type { UsageService } from './service.js';

const payerFields = {
  user_id: idText().optional().describe('The host app’s user whose usage it is'),
  organization_id: idText().optional().describe('Or the organisation whose usage it is'),
};
const feature = idText(64).describe('The metered feature: a benefit key such as api_calls');

const eventFields = {
  ...payerFields,
  feature,
  value: z.number().int().positive().max(1_000_000_000).describe('Units used'),
  idempotency_key: idText(200).describe(
    'Unique per payer and feature: an event sent again with the same key is counted once (a duplicate)',
  ),
  timestamp: dateTime()
    .optional()
    .describe(
      'When the usage happened (default: now): up to RECUR_USAGE_PAST_WINDOW_DAYS (35) days in the past, counted into the period it belongs to; at most 5 minutes in the future',
    ),
};

const usageEvent = z.object(eventFields).strict().superRefine(exactlyOnePayer);
type UsageEventInput = z.infer<typeof usageEvent>;

/** One event, or `events`: one object, so that a wrong field is named rather than a failed union. */
const trackBody = z
  .object({
    ...payerFields,
    feature: eventFields.feature.optional(),
    value: eventFields.value.optional(),
    idempotency_key: eventFields.idempotency_key.optional(),
    timestamp: eventFields.timestamp,
    events: z
      .array(usageEvent)
      .min(1)
      .max(1000)
      .optional()
      .describe('A batch of up to 1,000 events instead of one, checked whole: one bad event refuses all'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const single = (
      ['user_id', 'organization_id', 'feature', 'value', 'idempotency_key', 'timestamp'] as const
    ).filter((f) => b[f] !== undefined);
    if (b.events !== undefined) {
      for (const f of single)
        ctx.addIssue({ code: 'custom', path: [f], message: 'give one event or events, not both' });
      return;
    }
    for (const f of ['feature', 'value', 'idempotency_key'] as const)
      if (b[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'is required' });
    exactlyOnePayer(b, ctx);
  })
  .describe('One usage event, or a batch of them in `events`');

const trackResult = z
  .object({
    accepted: z.number().int().describe('Events counted now'),
    duplicates: z.number().int().describe('Events whose idempotency key was already counted (not an error)'),
    events: z.array(z.object({ idempotency_key: z.string(), status: z.enum(['accepted', 'duplicate']) })),
  })
  .describe('UsageTracked');

const checkBody = z
  .object({
    ...payerFields,
    feature,
    required: z.number().int().positive().max(1_000_000_000).default(1).describe('Units the work needs'),
    reserve: z
      .boolean()
      .default(false)
      .describe(
        'Hold the units when allowed, until confirmed or released (or RECUR_USAGE_RESERVATION_TTL passes); API keys only',
      ),
  })
  .strict();

const checkAnswer = z
  .object({
    allowed: z.boolean(),
    balance: z
      .number()
      .int()
      .describe('What may still be used now: the allowance left, plus the credits for overage `credits`'),
    limit: z.number().int().describe('The limit in force this period (0: none, credits only)'),
    used: z.number().int(),
    reserved: z.number().int().describe('Units held by open reservations'),
    credits: z
      .number()
      .int()
      .describe('The payer’s credit balance for the feature: negative while credits are owed'),
    overage: z.enum(['block', 'bill', 'credits']),
    reset: z.enum(['day', 'week', 'month', 'year', 'billing_period', 'never']),
    period_start: z.string(),
    resets_at: z.string().nullable().describe('When the count starts again; null: never'),
    reservation_id: z.string().optional().describe('With reserve, when allowed: confirm or release it'),
  })
  .describe('UsageCheck');

const reservationView = z
  .object({
    id: z.string(),
    user_id: z.string().nullable(),
    organization_id: z.string().nullable(),
    feature: z.string(),
    units: z.number().int(),
    from_credits: z.number().int().describe('Of the units, those held from the credit balance'),
    status: z.enum(['held', 'confirmed', 'released', 'expired']),
    period_start: z.string(),
    expires_at: z.string(),
    settled_at: z.string().nullable(),
  })
  .describe('UsageReservation');

const confirmBody = z
  .object({
    value: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Units actually used, at most those held (default: all); the rest is released'),
  })
  .strict();

const payerOfInput = (b: { user_id?: string | undefined; organization_id?: string | undefined }): PayerKey =>
  b.organization_id !== undefined
    ? { payerKind: 'organization', payerId: b.organization_id }
    : { payerKind: 'user', payerId: b.user_id! };

const toEvent = (e: UsageEventInput) => ({
  payer: payerOfInput(e),
  feature: e.feature,
  value: e.value,
  idempotencyKey: e.idempotency_key,
  timestamp: e.timestamp === undefined ? undefined : new Date(e.timestamp),
});

const backend = ['service', 'admin'] as const;
const tags = ['usage'];

export function usageRoutes(usage: UsageService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/usage',
      {
        config: { access: backend },
        schema: {
          tags,
          summary: 'Count usage of a metered feature (one event or a batch of up to 1,000)',
          description:
            'Each event is counted once whatever the retries: its idempotency key is unique per payer and feature, and a repeat answers `duplicate`. A batch is checked whole (one bad event: 400 naming it, nothing counted), then written in one transaction. Usage is never refused for a limit (it happened; `POST /api/check` is what refuses): beyond the limit, `credits` draws the units from the payer’s credits (what they cannot pay is owed, and paid first from the next grant) and `bill` reports them to Stripe. A feature the payer holds no limit for is counted all the same (limit 0, in one period that never resets). Crossing RECUR_USAGE_WARN_PERCENT and 100% of a limit sends `usage.threshold_reached` once per period.',
          body: trackBody,
          response: { 200: trackResult, ...errorResponses },
        },
      },
      async (request) => {
        const { events, ...one } = request.body;
        // The refinement made sure a single event has its fields.
        const single = one as UsageEventInput;
        return events ? usage.track(events.map(toEvent)) : usage.trackOne(toEvent(single));
      },
    );

    app.post(
      '/api/check',
      {
        config: { access: ['service', 'admin', 'user'] },
        schema: {
          tags,
          summary: 'May the payer use a feature now? Optionally hold the units (reserve)',
          description:
            'Answers from the period’s counter. `block` allows within the allowance; `credits` also within the credit balance; `bill` always (the overage is billed). With `reserve`, the units are held atomically (the counter row is locked: concurrent checks never overdraw) until confirmed, released or expired. A user may check their own usage or an organisation’s they are a member of, without `reserve`.',
          body: checkBody,
          response: { 200: checkAnswer, ...errorResponses },
        },
      },
      async (request) => {
        const payer = await checkedPayer(request.principal, request.body, usage);
        return usage.check({
          payer,
          feature: request.body.feature,
          required: request.body.required,
          reserve: request.body.reserve,
        });
      },
    );

    app.post(
      '/api/check/reservations/:id/confirm',
      {
        config: { access: backend },
        schema: {
          tags,
          summary: 'Count a reservation’s units (or fewer) as used',
          params: idParams,
          body: confirmBody,
          response: { 200: reservationView, ...errorResponses },
        },
      },
      async (request) => usage.confirm(request.params.id, request.body.value),
    );

    app.post(
      '/api/check/reservations/:id/release',
      {
        config: { access: backend },
        schema: {
          tags,
          summary: 'Give a reservation’s units back (the work did not happen)',
          params: idParams,
          response: { 200: reservationView, ...errorResponses },
        },
      },
      async (request) => usage.release(request.params.id),
    );
  };
}

/**
 * Whose usage a check asks about. An API key names the payer. A user asks about their own (user_id
 * left out or their own) or an organisation's they are a member of (else 404, as elsewhere), and
 * may not hold units: reserving is for the host app's backend, which confirms the work.
 */
async function checkedPayer(
  principal: Principal | null,
  body: z.infer<typeof checkBody>,
  usage: UsageService,
): Promise<PayerKey> {
  if (body.user_id !== undefined && body.organization_id !== undefined)
    throw new ValidationError('invalid_request', 'give at most one of user_id or organization_id', {
      field: 'user_id',
    });
  if (principal?.kind !== 'user') {
    if (body.user_id === undefined && body.organization_id === undefined)
      throw new ValidationError('invalid_request', 'give user_id or organization_id', { field: 'user_id' });
    return payerOfInput(body);
  }
  if (body.reserve)
    throw new AppError(
      403,
      'forbidden',
      'A user may check usage but not reserve it; reserve with an API key',
    );
  if (body.organization_id !== undefined) {
    if (!(await organizationRepository.member(usage.db, body.organization_id, principal.userId)))
      throw new NotFoundError('Organization', body.organization_id);
    return { payerKind: 'organization', payerId: body.organization_id };
  }
  if (body.user_id !== undefined && body.user_id !== principal.userId)
    throw new AppError(403, 'forbidden', 'A user may check only their own usage');
  return { payerKind: 'user', payerId: principal.userId };
}
