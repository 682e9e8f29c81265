import { useId } from 'react';
import type { Membership } from './api.js';
import type { Org } from './org-context.js';

/** Whose billing the page shows: the user's own, or an organisation's they manage the billing of. */
export const managesBilling = (m: Membership) => m.role === 'owner' || m.role === 'billing_admin';

export function ContextSwitcher({
  org,
  memberships,
  onSwitch,
}: {
  org: Org;
  memberships: Membership[];
  onSwitch(org: Org): void;
}) {
  const id = useId();
  const managed = memberships.filter(managesBilling);
  // Opened in an organisation's context it does not manage, the page still names it.
  const current = org && !managed.some((m) => m.id === org) ? memberships.find((m) => m.id === org) : null;
  if (managed.length === 0 && !org) return null;
  return (
    <div className="context">
      <label htmlFor={id}>Billing for</label>
      <select id={id} value={org ?? ''} onChange={(event) => onSwitch(event.target.value || null)}>
        <option value="">Personal</option>
        {managed.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
        {org && !managed.some((m) => m.id === org) && <option value={org}>{current?.name ?? org}</option>}
      </select>
    </div>
  );
}
