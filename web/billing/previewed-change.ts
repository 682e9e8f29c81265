import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { unwrap } from '../src/api/client.js';
import type { paths } from '../src/api/schema.gen.js';
import { afterBillingChange, api, type ChangePreview, once } from './api.js';

type ChangeBody = NonNullable<
  paths['/api/subscriptions/{id}/preview-change']['post']['requestBody']
>['content']['application/json'];
type ChangeResult = Awaited<ReturnType<typeof applyChange>>;

const applyChange = (id: string, body: ChangeBody, shown: ChangePreview) =>
  unwrap(
    api.POST('/api/subscriptions/{id}/change', {
      params: { path: { id } },
      headers: once(),
      // The preview's proration date makes the charge equal the amount the customer agreed to.
      body: { ...body, proration_date: shown.proration_date },
    }),
  );

/**
 * A change to a subscription (plan, interval or seats), previewed before it is confirmed: `preview`
 * holds what it costs now and at the renewal, `apply` confirms that preview, `forget` drops it when
 * the choice changes. Once applied, every read it may have changed is asked again.
 */
export function usePreviewedChange(
  subscriptionId: string,
  body: ChangeBody,
  onApplied: (result: ChangeResult) => void,
) {
  const [preview, setPreview] = useState<ChangePreview | null>(null);
  const queryClient = useQueryClient();
  const previewChange = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/subscriptions/{id}/preview-change', {
          params: { path: { id: subscriptionId } },
          body,
        }),
      ),
    onSuccess: setPreview,
  });
  const change = useMutation({
    mutationFn: (shown: ChangePreview) => applyChange(subscriptionId, body, shown),
    onSuccess: async (result) => {
      setPreview(null);
      await Promise.all(afterBillingChange.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onApplied(result);
    },
  });
  // Stable, so that an effect may call it: the mutations' reset functions are.
  const { reset: resetPreview } = previewChange;
  const { reset: resetChange } = change;
  const forget = useCallback(() => {
    setPreview(null);
    resetPreview();
    resetChange();
  }, [resetPreview, resetChange]);
  return { preview, previewChange, change, forget };
}
