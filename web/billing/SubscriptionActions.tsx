import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { unwrap } from '../src/api/client.js';
import { formatDate } from '../src/format.js';
import { afterBillingChange, api, once, type Subscription } from './api.js';
import { ConfirmDialog, useAnnounce } from './ui.js';
import { cancelsOn, nextChargeInWords } from './words.js';

const FEEDBACK = [
  ['', 'Prefer not to say'],
  ['too_expensive', 'It costs too much'],
  ['missing_features', 'It lacks features I need'],
  ['switched_service', 'I switched to another service'],
  ['unused', 'I don’t use it enough'],
  ['too_complex', 'It is too hard to use'],
  ['low_quality', 'It does not work well enough'],
  ['customer_service', 'Support was not helpful'],
  ['other', 'Another reason'],
] as const;
type Feedback = Exclude<(typeof FEEDBACK)[number][0], ''>;

interface ConfirmedActionProps {
  label: string;
  primary?: boolean;
  title: string;
  confirmLabel: string;
  cancelLabel: string;
  run(): Promise<Subscription>;
  /** What to announce once done. */
  done(updated: Subscription): string;
  children: ReactNode;
}

/** A button that asks first, then changes the subscription, refreshes what it touched and says what happened. */
function ConfirmedAction(props: ConfirmedActionProps) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const action = useMutation({
    mutationFn: props.run,
    onSuccess: async (updated) => {
      setOpen(false);
      await Promise.all(afterBillingChange.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      announce(props.done(updated));
    },
  });
  return (
    <>
      <button type="button" className={props.primary ? 'primary' : undefined} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <ConfirmDialog
          title={props.title}
          confirmLabel={props.confirmLabel}
          cancelLabel={props.cancelLabel}
          busy={action.isPending}
          error={action.error}
          onConfirm={() => action.mutate()}
          onCancel={() => {
            action.reset();
            setOpen(false);
          }}
        >
          {props.children}
        </ConfirmDialog>
      )}
    </>
  );
}

export function CancelButton({ subscription }: { subscription: Subscription }) {
  const [feedback, setFeedback] = useState<Feedback | ''>('');
  const [reason, setReason] = useState('');
  const ids = { feedback: useId(), reason: useId() };
  return (
    <ConfirmedAction
      label="Cancel subscription"
      title={`Cancel ${subscription.plan_name ?? 'your subscription'}?`}
      confirmLabel="Confirm cancellation"
      cancelLabel="Keep my subscription"
      run={() =>
        unwrap(
          api.POST('/api/subscriptions/{id}/cancel', {
            params: { path: { id: subscription.id } },
            headers: once(),
            body: {
              at_period_end: true,
              ...(feedback ? { feedback } : {}),
              ...(reason.trim() ? { reason: reason.trim() } : {}),
            },
          }),
        )
      }
      done={(s) => `Your subscription will end on ${formatDate(cancelsOn(s))}.`}
    >
      <p>
        It stays active until {formatDate(subscription.current_period_end)} and is not renewed after that. You
        can resume it until then.
      </p>
      <label htmlFor={ids.feedback}>Why are you leaving? (optional)</label>
      <select
        id={ids.feedback}
        value={feedback}
        onChange={(e) => setFeedback(e.target.value as Feedback | '')}
      >
        {FEEDBACK.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <label htmlFor={ids.reason}>Anything we could do better? (optional)</label>
      <textarea
        id={ids.reason}
        maxLength={500}
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </ConfirmedAction>
  );
}

export function ResumeButton({ subscription }: { subscription: Subscription }) {
  return (
    <ConfirmedAction
      label="Resume subscription"
      primary
      title={`Resume ${subscription.plan_name ?? 'your subscription'}?`}
      confirmLabel="Confirm and resume"
      cancelLabel="Not now"
      run={() =>
        unwrap(
          api.POST('/api/subscriptions/{id}/resume', {
            params: { path: { id: subscription.id } },
            headers: once(),
          }),
        )
      }
      done={(s) => `Your subscription continues. Next charge: ${nextChargeInWords(s)}.`}
    >
      <p>
        The cancellation is withdrawn and the subscription renews on{' '}
        {formatDate(subscription.current_period_end)}
        {subscription.unit_amount !== null ? ', charged as before.' : '.'}
      </p>
    </ConfirmedAction>
  );
}
