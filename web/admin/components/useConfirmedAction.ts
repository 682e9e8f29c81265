import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/**
 * The life of a confirmed action: open a dialog for a target, run the call on confirm, refresh the
 * named queries after success and close; on failure the dialog stays open with the server's words.
 */
export function useConfirmedAction<Target, Result = unknown>(
  run: (target: Target) => Promise<Result>,
  options: { invalidate: QueryKey[]; onSuccess?(result: Result): void },
) {
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<Target | null>(null);
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: async (result) => {
      await Promise.all(options.invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      setTarget(null);
      options.onSuccess?.(result);
    },
  });
  return {
    target,
    open: (value: Target) => {
      mutation.reset();
      setTarget(value);
    },
    close: () => setTarget(null),
    confirm: () => target !== null && mutation.mutate(target),
    /** For dialogs that are the form themselves: run with what they hold, no target to pick. */
    run: (value: Target) => mutation.mutate(value),
    busy: mutation.isPending,
    error: mutation.error,
  };
}
