export * from './auth.js';
export * from './plans.js';
