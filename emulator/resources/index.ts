import type { EmulatorModule } from '../core/context.js';
import { couponsModule } from './coupons.js';
import { customerBalanceTransactionsModule } from './customers/balance-transactions.js';
import { customersModule } from './customers/customers.js';
import { paymentMethodsModule } from './payment-methods/payment-methods.js';
import { pricesModule } from './prices/prices.js';
import { productsModule } from './products/products.js';
import { promotionCodesModule } from './promotion-codes.js';
import { setupIntentsModule } from './setup-intents.js';
import { taxSettingsModule } from './tax/tax-settings.js';

/** Catalog and customer resources, in install order. */
export const catalogModules: EmulatorModule[] = [
  productsModule,
  pricesModule,
  customersModule,
  customerBalanceTransactionsModule,
  paymentMethodsModule,
  setupIntentsModule,
  couponsModule,
  promotionCodesModule,
  taxSettingsModule,
];
