import { pooledRandomBytes } from '../shared/random-pool.js';

/** The id of one request, in its `request-id` header, its error body and its log lines. */
export const newRequestId = (): string => `req_${pooledRandomBytes(12).toString('base64url')}`;
