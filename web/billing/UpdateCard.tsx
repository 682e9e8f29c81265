import { useMutation } from '@tanstack/react-query';
import { unwrap } from '../src/api/client.js';
import { api, once } from './api.js';
import { orgBody, useOrg } from './org-context.js';
import { returnUrl } from './session.js';
import { ErrorAlert, Section } from './ui.js';

/** Cards are entered only on Stripe's own page (the Customer Portal); Recur never sees a card number. */
export function UpdateCard() {
  const org = useOrg();
  const portal = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/portal/sessions', {
          headers: once(),
          body: { return_url: returnUrl(org, 'portal', 'return'), ...orgBody(org) },
        }),
      ),
    onSuccess: (session) => window.location.assign(session.url),
  });
  return (
    <Section title="Payment method">
      <p>Change the card your subscription is charged to on Stripe’s secure page.</p>
      <ErrorAlert error={portal.error} />
      <button type="button" onClick={() => portal.mutate()} disabled={portal.isPending}>
        {portal.isPending ? 'Opening…' : 'Update card'}
      </button>
    </Section>
  );
}
