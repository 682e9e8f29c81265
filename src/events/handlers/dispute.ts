import type { Cause } from '../../app-webhooks/announcements.js';
import { actOnDispute, actOnWarning, type DisputeDeps, paymentLinks } from '../../disputes/enforcement.js';
import { freezesAccess } from '../../disputes/policy.js';
import { lockObject } from '../../mirror/locks.js';
import { upsertMirror } from '../../mirror/repository.js';
import { disputeRow, earlyFraudWarningRow, idOf } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, on, type TypedHandler } from './context.js';

const DISPUTE = [
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
] as const;
const WARNING = ['radar.early_fraud_warning.created', 'radar.early_fraud_warning.updated'] as const;

/**
 * Disputes and early fraud warnings are mirrored like every object (newest state wins), then the
 * deployment's policies act on the state the mirror holds (see disputes/policy.ts).
 */
export function disputeHandlers(deps: DisputeDeps): Record<string, EventHandler> {
  const dispute: TypedHandler<(typeof DISPUTE)[number]> = async (ctx, event) => {
    const snapshot = event.data.object;
    const links = await paymentLinks(ctx, deps, 'dispute', snapshot.id, idOf(snapshot.charge)!);
    const policies = await deps.policies(ctx.tx);
    // The user's entitlements are read and announced by one transaction at a time (see object-locks.ts).
    if (links.customerId) await lockObject(ctx.tx, links.customerId);
    const cause: Cause = { key: ctx.event.id, at: ctx.eventAt };
    const watched = { subscriptions: links.subscriptionId ? [links.subscriptionId] : [] };
    const result = await deps.announcer.around(ctx.tx, watched, cause, () =>
      applyInOrder(ctx, 'dispute', snapshot, (current, stamp, mode) =>
        upsertMirror(
          ctx.tx,
          'dispute',
          disputeRow(current, links, freezesAccess(policies.dispute, current.status)),
          stamp,
          mode,
        ),
      ),
    );
    await actOnDispute(ctx, deps, snapshot.id, policies, cause);
    return result;
  };

  const warning: TypedHandler<(typeof WARNING)[number]> = async (ctx, event) => {
    const snapshot = event.data.object;
    const links = await paymentLinks(
      ctx,
      deps,
      'radar.early_fraud_warning',
      snapshot.id,
      idOf(snapshot.charge)!,
    );
    const result = await applyInOrder(ctx, 'radar.early_fraud_warning', snapshot, (current, stamp, mode) =>
      upsertMirror(ctx.tx, 'radar.early_fraud_warning', earlyFraudWarningRow(current, links), stamp, mode),
    );
    if ((await deps.policies(ctx.tx)).earlyFraudWarning === 'refund_and_cancel')
      await actOnWarning(ctx, deps, snapshot.id, { key: ctx.event.id, at: ctx.eventAt });
    return result;
  };

  return { ...on(DISPUTE, dispute), ...on(WARNING, warning) };
}
