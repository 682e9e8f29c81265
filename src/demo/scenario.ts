import { SeededRandom } from './random.js';

/**
 * Who the demo's customers are and what happens to each, decided up front from the seed alone:
 * no I/O, so the same seed, size and "now" always give the same history.
 */

export const DAY = 86_400;
const HOUR = 3_600;

export type Story =
  /** Subscribes and keeps paying. */
  | 'steady'
  | 'upgrade'
  | 'downgrade'
  /** Cancels (at the period end, or at once). */
  | 'churn'
  /** A renewal fails on a declining card; the customer enters a new card and the retry pays. */
  | 'recovered'
  /** A renewal fails and every retry fails: Stripe cancels the subscription. */
  | 'involuntary'
  /** Cancels, then comes back weeks later (a reactivation through Recur). */
  | 'reactivated'
  | 'trial_converts'
  /** A trial started without a card, so it ends unpaid. */
  | 'trial_lapses'
  /** Keeps paying, but one payment is refunded. */
  | 'refund'
  | 'yearly';

/** The catalog as the scenario sees it: how many prices of each kind there are to choose from. */
export interface CatalogShape {
  /** Monthly prices in the main currency, cheapest first. */
  tiers: number;
  /** Yearly prices in the main currency. */
  yearly: number;
  /** Monthly prices in a second currency. */
  otherCurrency: number;
}

export interface PriceChoice {
  kind: 'monthly' | 'yearly' | 'other';
  /** Index among the prices of that kind. */
  tier: number;
}

export interface CustomerStory {
  index: number;
  name: string;
  email: string;
  story: Story;
  signupAt: number;
  price: PriceChoice;
  trialDays: number;
  withCard: boolean;
  /** When the story's own step happens (a plan change, cancellation, failing card, refund), if any. */
  stepAt: number | null;
  /** Seconds from the step's outcome to its follow-up: the card fixed, the customer back. */
  followUp: number;
  cancelAtPeriodEnd: boolean;
}

export interface ScenarioInput {
  customers: number;
  months: number;
  seed: number;
  /** Unix seconds: the end of the history. */
  now: number;
  catalog: CatalogShape;
}

/** Every story that shows a kind of movement or payment outcome, played at least once. */
const PROMISED: Story[] = [
  'upgrade',
  'downgrade',
  'churn',
  'recovered',
  'involuntary',
  'reactivated',
  'trial_converts',
  'trial_lapses',
  'refund',
  'yearly',
];
export const MIN_CUSTOMERS = PROMISED.length;
/** Enough past for the promised stories to play out (they take about 50 days). */
export const MIN_MONTHS = 3;

const WEIGHTS: Record<Story, number> = {
  steady: 40,
  upgrade: 12,
  downgrade: 6,
  churn: 12,
  recovered: 7,
  involuntary: 3,
  reactivated: 3,
  trial_converts: 8,
  trial_lapses: 3,
  refund: 3,
  yearly: 5,
};

const FIRST_NAMES = (
  'Ada Grace Alan Linus Margaret Dennis Barbara Ken Frances Edsger Radia John Hedy Tim Katherine Donald ' +
  'Sophie Guido Joan Bjarne'
).split(' ');
const LAST_NAMES = (
  'Lovelace Hopper Turing Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Perlman McCarthy ' +
  'Lamarr Berners-Lee Johnson Knuth Wilson Rossum Clarke Stroustrup'
).split(' ');

/** The first instant of each month of the history, oldest first; the last month runs to `now`. */
export function monthStarts(now: number, months: number): number[] {
  const today = new Date(now * 1000);
  return Array.from(
    { length: months },
    (_, i) => Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - (months - 1) + i, 1) / 1000,
  );
}

function storiesAllowed(catalog: CatalogShape): Story[] {
  return (Object.keys(WEIGHTS) as Story[]).filter(
    (s) =>
      !((s === 'upgrade' || s === 'downgrade') && catalog.tiers < 2) && !(s === 'yearly' && !catalog.yearly),
  );
}

function priceFor(story: Story, random: SeededRandom, catalog: CatalogShape): PriceChoice {
  if (story === 'yearly') return { kind: 'yearly', tier: random.int(0, catalog.yearly - 1) };
  if (story === 'upgrade') return { kind: 'monthly', tier: random.int(0, catalog.tiers - 2) };
  if (story === 'downgrade') return { kind: 'monthly', tier: random.int(1, catalog.tiers - 1) };
  const plain = story === 'steady' || story === 'churn' || story === 'refund';
  if (plain && catalog.otherCurrency > 0 && random.chance(0.15)) {
    return { kind: 'other', tier: random.int(0, catalog.otherCurrency - 1) };
  }
  // Cheaper plans sell more: tier i is (tiers - i) times as likely as the dearest.
  const weights = Object.fromEntries(
    Array.from({ length: catalog.tiers }, (_, i) => [String(i), catalog.tiers - i]),
  );
  return { kind: 'monthly', tier: Number(random.weighted(weights)) };
}

/** The promised stories start in the first days and step early, so that they finish before `now`. */
function promisedTiming(story: Story, random: SeededRandom): { step: number | null; followUp: number } {
  const days = (min: number, max: number) => random.int(min * DAY, max * DAY);
  switch (story) {
    case 'upgrade':
    case 'downgrade':
      return { step: days(32, 40), followUp: 0 };
    case 'churn':
      return { step: days(10, 20), followUp: 0 };
    case 'recovered':
      return { step: days(2, 5), followUp: random.int(24 * HOUR, 60 * HOUR) };
    case 'involuntary':
      return { step: days(2, 5), followUp: 0 };
    case 'reactivated':
      return { step: days(8, 14), followUp: days(32, 36) };
    case 'refund':
      return { step: days(35, 45), followUp: 0 };
    default:
      return { step: null, followUp: 0 };
  }
}

function randomTiming(story: Story, random: SeededRandom): { step: number | null; followUp: number } {
  if (story === 'steady' || story === 'yearly' || story.startsWith('trial'))
    return { step: null, followUp: 0 };
  const step = random.int(20 * DAY, 240 * DAY);
  if (story === 'recovered') return { step, followUp: random.int(24 * HOUR, 60 * HOUR) };
  if (story === 'reactivated') return { step, followUp: random.int(32 * DAY, 75 * DAY) };
  return { step, followUp: 0 };
}

export function buildScenario(input: ScenarioInput): CustomerStory[] {
  const random = new SeededRandom(input.seed);
  const starts = monthStarts(input.now, input.months);
  const allowed = storiesAllowed(input.catalog);
  const weights = Object.fromEntries(allowed.map((s) => [s, WEIGHTS[s]])) as Record<Story, number>;
  const promised = PROMISED.filter((s) => allowed.includes(s));
  // Later months sign up more customers: a business that grows.
  const monthWeights = Object.fromEntries(starts.map((_, i) => [String(i), i + 2]));

  const drafts = Array.from({ length: input.customers }, (_, n) => {
    const isPromised = n < promised.length;
    const story = isPromised ? promised[n]! : random.weighted(weights);
    let signupAt: number;
    if (isPromised) {
      signupAt = starts[0]! + random.int(0, 4 * DAY);
    } else {
      const month = Number(random.weighted(monthWeights));
      const end = Math.min(starts[month + 1] ?? input.now, input.now - 2 * HOUR);
      signupAt = random.int(starts[month]!, Math.max(starts[month]!, end - 1));
    }
    const timing = isPromised ? promisedTiming(story, random) : randomTiming(story, random);
    return {
      story,
      signupAt,
      price: priceFor(story, random, input.catalog),
      trialDays: story.startsWith('trial') ? 14 : 0,
      withCard: story !== 'trial_lapses',
      stepAt: timing.step === null ? null : signupAt + timing.step,
      followUp: timing.followUp,
      cancelAtPeriodEnd: story === 'churn' ? isPromised || random.chance(0.7) : false,
      first: random.pick(FIRST_NAMES),
      last: random.pick(LAST_NAMES),
    };
  });
  drafts.sort((a, b) => a.signupAt - b.signupAt);
  return drafts.map(({ first, last, ...draft }, index) => ({
    ...draft,
    index,
    name: `${first} ${last}`,
    email: `${first}.${last}.${index + 1}@example.com`.toLowerCase(),
  }));
}
