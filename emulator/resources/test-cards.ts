/**
 * Stripe's test cards, by the names of their test tokens (`pm_card_visa`, `tok_visa`): what the
 * card looks like and what Stripe does when it is attached (a zero-amount check) and when it is
 * charged. Only brand, last four digits and expiry exist here; no full card number is ever kept.
 */

export interface Decline {
  code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error' | 'authentication_required';
  declineCode?: string;
  message: string;
}

/** What a test card makes the card's issuer do after a successful charge (docs.stripe.com/testing#disputes). */
export type IssuerAction =
  | { kind: 'dispute'; reason: 'fraudulent' | 'product_not_received'; networkReasonCode: string }
  | { kind: 'inquiry' }
  | { kind: 'early_fraud_warning' };

export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay';
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  /** Outcome of attaching to a customer or confirming a SetupIntent; null means it succeeds. */
  onSetup: Decline | null;
  /** Outcome of a charge; 'requires_action' means 3D Secure is needed (fails off-session). */
  onCharge: Decline | 'requires_action' | null;
  /**
   * Confirming a SetupIntent with it needs 3D Secure (`requires_action`); attaching it directly does
   * not, since attaching runs no authentication (https://docs.stripe.com/testing#authentication-and-setup).
   */
  authenticatesOnSetup?: true;
  /**
   * Once authenticated on a setup (a SetupIntent, or an on-session payment that saves the card),
   * later off-session charges need no authentication: Stripe's 4000 0025 0000 3155.
   */
  exemptOnceSetUp?: true;
  /** Opens a dispute, an inquiry or an early fraud warning once a charge succeeds. */
  afterCharge?: IssuerAction;
}

const DECLINED: Decline = {
  code: 'card_declined',
  declineCode: 'generic_decline',
  message: 'Your card was declined.',
};
const INSUFFICIENT: Decline = {
  code: 'card_declined',
  declineCode: 'insufficient_funds',
  message: 'Your card has insufficient funds.',
};
const LOST: Decline = { code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' };
const STOLEN: Decline = {
  code: 'card_declined',
  declineCode: 'stolen_card',
  message: 'Your card was declined.',
};
const EXPIRED: Decline = {
  code: 'expired_card',
  declineCode: 'expired_card',
  message: 'Your card has expired.',
};
const CVC: Decline = {
  code: 'incorrect_cvc',
  declineCode: 'incorrect_cvc',
  message: "Your card's security code is incorrect.",
};
const PROCESSING: Decline = {
  code: 'processing_error',
  declineCode: 'processing_error',
  message: 'An error occurred while processing your card. Try again in a little bit.',
};

const good = (
  brand: TestCard['brand'],
  last4: string,
  funding: TestCard['funding'] = 'credit',
  country = 'US',
) => ({ brand, last4, funding, country, onSetup: null, onCharge: null }) satisfies TestCard;

/** Keyed by the part after `pm_card_` / `tok_`. */
export const TEST_CARDS: Record<string, TestCard> = {
  visa: good('visa', '4242'),
  visa_debit: good('visa', '5556', 'debit'),
  mastercard: good('mastercard', '4444'),
  mastercard_debit: good('mastercard', '8210', 'debit'),
  mastercard_prepaid: good('mastercard', '5100', 'prepaid'),
  amex: good('amex', '8431'),
  discover: good('discover', '1117'),
  diners: good('diners', '0004'),
  jcb: good('jcb', '0505', 'credit', 'JP'),
  unionpay: good('unionpay', '0005', 'credit', 'CN'),
  chargeDeclined: { ...good('visa', '0002'), onSetup: DECLINED, onCharge: DECLINED },
  chargeDeclinedInsufficientFunds: { ...good('visa', '9995'), onSetup: INSUFFICIENT, onCharge: INSUFFICIENT },
  chargeDeclinedLostCard: { ...good('visa', '9987'), onSetup: LOST, onCharge: LOST },
  chargeDeclinedStolenCard: { ...good('visa', '9979'), onSetup: STOLEN, onCharge: STOLEN },
  chargeDeclinedExpiredCard: { ...good('visa', '0069'), onSetup: EXPIRED, onCharge: EXPIRED },
  chargeDeclinedIncorrectCvc: { ...good('visa', '0127'), onSetup: CVC, onCharge: CVC },
  chargeDeclinedProcessingError: { ...good('visa', '0119'), onSetup: PROCESSING, onCharge: PROCESSING },
  // Attaches fine; every later charge is declined: the card that makes renewals fail.
  chargeCustomerFail: { ...good('visa', '0341'), onCharge: DECLINED },
  // 4000 0027 6000 3184: authentication on every transaction, however the card was set up.
  authenticationRequired: {
    ...good('visa', '3184'),
    onCharge: 'requires_action',
    authenticatesOnSetup: true,
  },
  // 4000 0000 0000 3220: 3D Secure 2 must be completed for every payment to succeed.
  threeDSecure2Required: {
    ...good('visa', '3220'),
    onCharge: 'requires_action',
    authenticatesOnSetup: true,
  },
  // 4000 0025 0000 3155: authentication on setup (or a first on-session payment), not afterwards.
  authenticationRequiredOnSetup: {
    ...good('visa', '3155'),
    onCharge: 'requires_action',
    authenticatesOnSetup: true,
    exemptOnceSetUp: true,
  },
  // Charged fine, then disputed by the issuer (https://docs.stripe.com/testing#disputes).
  createDispute: {
    ...good('visa', '0259'),
    afterCharge: { kind: 'dispute', reason: 'fraudulent', networkReasonCode: '10.4' },
  },
  createDisputeProductNotReceived: {
    ...good('visa', '2685'),
    afterCharge: { kind: 'dispute', reason: 'product_not_received', networkReasonCode: '13.1' },
  },
  createDisputeInquiry: { ...good('visa', '1976'), afterCharge: { kind: 'inquiry' } },
  // 4000 0000 0000 5423: an early fraud warning from the issuer, no dispute.
  createIssuerFraudRecord: { ...good('visa', '5423'), afterCharge: { kind: 'early_fraud_warning' } },
};

/** `pm_card_visa` / `tok_visa` → 'visa', or null when the id names no test card. */
export function testCardName(token: string): string | null {
  const match = /^(?:pm_card_|tok_)(\w+)$/.exec(token);
  return match && Object.hasOwn(TEST_CARDS, match[1]!) ? match[1]! : null;
}
