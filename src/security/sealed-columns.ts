/**
 * Every place Recur keeps a value sealed with `PiiCipher` (shared/crypto.ts). `recur reseal` walks
 * this list; a test fails when a table holds a sealed value in a column missing from it.
 */
export interface SealedColumn {
  table: string;
  /** The row's unique key. */
  key: string;
  column: string;
  /** The value is a JSON object whose field of this name holds the sealed text. */
  jsonField?: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'customers', key: 'id', column: 'email_encrypted' },
  { table: 'customers', key: 'id', column: 'name_encrypted' },
  { table: 'organizations', key: 'id', column: 'name_encrypted' },
  { table: 'organizations', key: 'id', column: 'billing_email_encrypted' },
  { table: 'events', key: 'id', column: 'payload' },
  { table: 'app_webhook_endpoints', key: 'id', column: 'secret_encrypted' },
  { table: 'app_webhook_endpoints', key: 'id', column: 'previous_secret_encrypted' },
  { table: 'settings', key: 'key', column: 'value', jsonField: 'sealed' },
];
