/**
 * The emulator's sense of time, in unix seconds.
 *
 * `now()` is wall time unless a test overrides it. Objects bound to a test clock live at that
 * clock's frozen time instead: the billing engine registers how to read a test clock
 * (`useTestClocks`), the customers module registers how to find a customer's clock
 * (`useCustomerClocks`), and everything else asks `nowForCustomer` / `nowForObject`.
 */
export type TestClockTime = (testClockId: string) => number | undefined;
export type CustomerTestClock = (customerId: string) => string | null | undefined;

export class Clock {
  private override: number | null = null;
  private testClockTime: TestClockTime = () => undefined;
  private customerTestClock: CustomerTestClock = () => null;

  /** Emulator time: wall clock, or the fixed instant set with `set`. */
  now(): number {
    return this.override ?? Math.floor(Date.now() / 1000);
  }

  /** Fixes emulator time at `unix` (null returns to wall time). */
  set(unix: number | null): void {
    this.override = unix;
  }

  useTestClocks(resolve: TestClockTime): void {
    this.testClockTime = resolve;
  }

  useCustomerClocks(resolve: CustomerTestClock): void {
    this.customerTestClock = resolve;
  }

  /** Frozen time of a test clock, or undefined when no such clock exists. */
  testClockNow(testClockId: string): number | undefined {
    return this.testClockTime(testClockId);
  }

  nowForTestClock(testClockId: string | null | undefined): number {
    if (!testClockId) return this.now();
    return this.testClockTime(testClockId) ?? this.now();
  }

  nowForCustomer(customerId: string | null | undefined): number {
    if (!customerId) return this.now();
    return this.nowForTestClock(this.customerTestClock(customerId));
  }

  /** Time for an API object: a customer's own clock, or the clock of the customer it belongs to. */
  nowForObject(object: { object?: unknown; id?: unknown; customer?: unknown; test_clock?: unknown }): number {
    if (typeof object.test_clock === 'string') return this.nowForTestClock(object.test_clock);
    if (object.object === 'customer' && typeof object.id === 'string') return this.nowForCustomer(object.id);
    const customer = object.customer;
    if (typeof customer === 'string') return this.nowForCustomer(customer);
    if (customer && typeof customer === 'object' && 'id' in customer && typeof customer.id === 'string') {
      return this.nowForCustomer(customer.id);
    }
    return this.now();
  }
}
