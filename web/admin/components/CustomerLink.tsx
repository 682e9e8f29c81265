import type { ReactNode } from 'react';

/** The console path of a customer's own page, which shows that customer whole. */
export const customerPath = (id: string) => `/admin/customers/${encodeURIComponent(id)}`;

export function CustomerLink({ id, children }: { id: string; children?: ReactNode }) {
  return <a href={customerPath(id)}>{children ?? <code>{id}</code>}</a>;
}
