/**
 * The test cards a person can pick on the hosted pages instead of typing a card number: two that
 * work, two that Stripe declines, and three that ask for 3D Secure. Each stands for one of Stripe's magic payment method ids, so
 * what it does is decided by the catalog's test-card rules; only brand and last four are shown.
 */
import { TEST_CARDS } from '../resources/test-cards.js';
import { type Html, html } from './html.js';

export interface CardChoice {
  /** The form value. */
  value: string;
  /** Stripe's magic id for the card (`pm_card_visa`). */
  paymentMethod: string;
  /** What the card does, as the page explains it. */
  outcome: string;
}

export const CARD_CHOICES: readonly CardChoice[] = [
  { value: 'visa', paymentMethod: 'pm_card_visa', outcome: 'succeeds' },
  { value: 'mastercard', paymentMethod: 'pm_card_mastercard', outcome: 'succeeds' },
  { value: 'declined', paymentMethod: 'pm_card_chargeDeclined', outcome: 'declined' },
  {
    value: 'insufficient_funds',
    paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds',
    outcome: 'insufficient funds',
  },
  {
    value: 'authentication_required',
    paymentMethod: 'pm_card_authenticationRequired',
    outcome: '3D Secure on every payment',
  },
  {
    value: 'three_d_secure_2',
    paymentMethod: 'pm_card_threeDSecure2Required',
    outcome: '3D Secure 2 required',
  },
  {
    value: 'authentication_on_setup',
    paymentMethod: 'pm_card_authenticationRequiredOnSetup',
    outcome: '3D Secure when set up, not afterwards',
  },
];

/** Whether paying or saving the card asks the customer for 3D Secure on this page. */
export function needsChallenge(choice: CardChoice): boolean {
  const card = TEST_CARDS[choice.paymentMethod.replace(/^pm_card_/, '')];
  return card?.onCharge === 'requires_action' || card?.authenticatesOnSetup === true;
}

export function cardChoice(value: string | null): CardChoice | undefined {
  return CARD_CHOICES.find((choice) => choice.value === value);
}

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard' };

export function cardLabel(brand: string, last4: string): string {
  return `${BRANDS[brand] ?? brand} •••• ${last4}`;
}

function choiceLabel(choice: CardChoice): string {
  const card = TEST_CARDS[choice.paymentMethod.replace(/^pm_card_/, '')]!;
  return `${cardLabel(card.brand, card.last4)} (${choice.outcome})`;
}

/** A fieldset of radio buttons, one per test card, each with its own label. */
export function cardFieldset(legend: string, selected: string | null): Html {
  const radios = CARD_CHOICES.map((choice) => {
    const id = `card-${choice.value}`;
    return html`<label for="${id}"><input type="radio" id="${id}" name="card" value="${choice.value}"${
      choice.value === selected ? html` checked` : ''
    } required> ${choiceLabel(choice)}</label>`;
  });
  return html`<fieldset><legend>${legend}</legend>${radios}</fieldset>`;
}
