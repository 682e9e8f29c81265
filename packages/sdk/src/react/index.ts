export {
  formatAmount,
  ManageBillingButton,
  type ManageBillingButtonProps,
  PricingTable,
  type PricingTableProps,
} from './components.js';
export { RecurProvider, type RecurProviderProps, useEntitlements, usePlans, useRecur } from './hooks.js';
export {
  type BrowserClientOptions,
  type CheckoutChoice,
  createBrowserClient,
  type Plan,
  type Plans,
  type RecurBrowserClient,
  RecurRouteError,
} from './store.js';
