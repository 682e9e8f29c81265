import type { Principal } from '../auth/principal.js';
import { ConflictError } from '../http/errors.js';
import type { RefundService } from '../refunds/service.js';
import { DEMO_CARDS, type StripeDemoActivity, type SubscriptionState } from '../stripe/demo-activity.js';
import type { SubscriptionService } from '../subscriptions/service.js';
import { type DemoPrices, priceOf } from './catalog.js';
import type { CustomerStory } from './scenario.js';

/** What happened in a month, for the progress line. */
export interface Tally {
  signups: number;
  trials: number;
  upgrades: number;
  downgrades: number;
  cancellations: number;
  failingCards: number;
  cardsFixed: number;
  reactivations: number;
  refunds: number;
}

export const emptyTally = (): Tally => ({
  signups: 0,
  trials: 0,
  upgrades: 0,
  downgrades: 0,
  cancellations: 0,
  failingCards: 0,
  cardsFixed: 0,
  reactivations: 0,
  refunds: 0,
});

export interface TimelineDeps {
  activity: StripeDemoActivity;
  /** The merchant's own actions go through Recur, as its admin console or app would ask. */
  subscriptions: SubscriptionService;
  refunds: RefundService;
  prices: DemoPrices;
  runId: string;
}

type Step = 'signup' | 'story' | 'fix_card' | 'reactivate';

const HOUR = 3_600;
const ENDED = ['canceled', 'incomplete_expired'];
/** The demo acts for the operator when it asks Recur to reactivate or refund. */
const OPERATOR: Principal = { kind: 'api_key', role: 'admin', keyId: 'recur-demo' };

/**
 * One customer's life on a test clock of its own: the clock is advanced to each step's time, the
 * step is taken, and Stripe's billing runs everything that falls due in between (renewals, trial
 * ends, retries), dated at the clock's time.
 */
export class CustomerTimeline {
  private clock: string | null = null;
  private frozen = 0;
  private customer = '';
  private subscription: SubscriptionState | null = null;
  private readonly pending: Array<{ at: number; step: Step }>;

  constructor(
    readonly story: CustomerStory,
    private readonly deps: TimelineDeps,
  ) {
    this.pending = [{ at: story.signupAt, step: 'signup' }];
    if (story.stepAt !== null) this.pending.push({ at: story.stepAt, step: 'story' });
  }

  /** Takes every step due before `end`, then brings the clock to `end`. */
  async runUntil(end: number, tally: Tally): Promise<void> {
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at);
      const next = this.pending[0];
      if (!next || next.at >= end) break;
      this.pending.shift();
      await this.advanceTo(next.at);
      await this.take(next.step, next.at, tally);
    }
    await this.advanceTo(end);
  }

  private key(step: string): string {
    return `recur:demo.${this.deps.runId}.${this.story.index}:${step}`;
  }

  private async advanceTo(at: number): Promise<void> {
    if (!this.clock || at <= this.frozen) return;
    await this.deps.activity.advanceClock(this.clock, at, this.key(`advance.${at}`));
    this.frozen = at;
  }

  private async take(step: Step, at: number, tally: Tally): Promise<void> {
    const { activity } = this.deps;
    if (step === 'signup') return this.signUp(tally);
    const sub = await activity.subscription(this.subscription!.id);
    this.subscription = sub;
    if (step === 'fix_card') {
      await activity.switchCard(this.customer, DEMO_CARDS.pays, this.key('card.fixed'));
      tally.cardsFixed++;
      return;
    }
    if (step === 'reactivate') {
      if (!ENDED.includes(sub.status)) return;
      const back = await this.deps.subscriptions.reactivate(OPERATOR, sub.id, {
        idempotencyKey: this.key('reactivate'),
      });
      this.subscription = await activity.subscription(back.id);
      tally.reactivations++;
      return;
    }
    if (ENDED.includes(sub.status)) return;
    await this.storyStep(sub, at, tally);
  }

  private async signUp(tally: Tally): Promise<void> {
    const { activity, prices, runId } = this.deps;
    const { story } = this;
    this.clock = await activity.createClock(
      story.signupAt,
      `recur demo ${runId.slice(0, 8)} #${story.index + 1}`,
      this.key('clock'),
    );
    this.frozen = story.signupAt;
    this.customer = await activity.createCustomer(
      {
        testClock: this.clock,
        userId: `demo-${runId.slice(0, 8)}-${story.index + 1}`,
        email: story.email,
        name: story.name,
        runId,
        withCard: story.withCard,
      },
      this.key('customer'),
    );
    this.subscription = await activity.subscribe(
      {
        customer: this.customer,
        price: priceOf(prices, story.price).stripe_price_id,
        ...(story.trialDays && { trialDays: story.trialDays }),
      },
      this.key('subscribe'),
    );
    if (story.trialDays) tally.trials++;
    else tally.signups++;
  }

  private async storyStep(sub: SubscriptionState, at: number, tally: Tally): Promise<void> {
    const { activity, prices } = this.deps;
    const { story } = this;
    switch (story.story) {
      case 'upgrade':
      case 'downgrade': {
        const tier = story.price.tier + (story.story === 'upgrade' ? 1 : -1);
        const price = priceOf(prices, { kind: 'monthly', tier });
        await activity.changePrice(sub, price.stripe_price_id, this.key('change'));
        if (story.story === 'upgrade') tally.upgrades++;
        else tally.downgrades++;
        return;
      }
      case 'churn':
        await activity.cancel(sub.id, story.cancelAtPeriodEnd, this.key('cancel'));
        tally.cancellations++;
        return;
      case 'reactivated':
        await activity.cancel(sub.id, false, this.key('cancel'));
        this.pending.push({ at: at + story.followUp, step: 'reactivate' });
        tally.cancellations++;
        return;
      case 'recovered':
      case 'involuntary':
        await activity.switchCard(this.customer, DEMO_CARDS.declines, this.key('card.failing'));
        // The renewal is charged an hour after the period ends; the customer fixes the card before the first retry.
        if (story.story === 'recovered') {
          this.pending.push({ at: sub.periodEnd + HOUR + story.followUp, step: 'fix_card' });
        }
        tally.failingCards++;
        return;
      case 'refund':
        await this.refundLatest(sub, tally);
        return;
    }
  }

  /** The customer asks for their last payment back; the operator refunds it in Recur. */
  private async refundLatest(sub: SubscriptionState, tally: Tally): Promise<void> {
    if (!sub.latestInvoice) return;
    try {
      await this.deps.refunds.refund(
        { invoice_id: sub.latestInvoice, reason: 'requested_by_customer' },
        { idempotencyKey: this.key('refund') },
      );
      tally.refunds++;
    } catch (error) {
      // An unpaid or free invoice has nothing to refund: that customer simply asks for nothing.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
