export * from './app-webhooks.js';
export * from './auth.js';
export * from './billing.js';
export * from './events.js';
export * from './notifications.js';
export * from './plans.js';
export * from './reports.js';
export * from './sync.js';
