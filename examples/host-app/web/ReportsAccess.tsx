import { useEffect, useRef, useState } from 'react';
import { type ReportsAccess as Access, checkReportsAccess } from './backend.js';

const EVERY_MS = 2_000;

/**
 * What the reports API answers this user right now. The backend answers from its in-process
 * entitlement cache, which Recur's webhooks keep current, so asking every few seconds costs
 * nothing and shows a change within moments of Recur announcing it. `onChange` is called when the
 * answer moves (refused → granted, or back).
 */
export function ReportsAccess({ onChange }: { onChange?: () => void }) {
  const [access, setAccess] = useState<Access | null>(null);
  const state = access?.state;
  const seen = useRef(state);
  useEffect(() => {
    if (seen.current && state !== seen.current) onChange?.();
    seen.current = state;
  }, [state, onChange]);

  useEffect(() => {
    let stopped = false;
    const look = () =>
      checkReportsAccess().then(
        (next) => !stopped && setAccess(next),
        (e: Error) => !stopped && setAccess({ state: 'unknown', message: e.message }),
      );
    look();
    const timer = setInterval(look, EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <section aria-labelledby="access-heading">
      <h2 id="access-heading">Reports API</h2>
      <p role="status">
        {access === null
          ? 'Checking…'
          : access.state === 'granted'
            ? `Access: granted (${access.reports} reports)`
            : access.state === 'refused'
              ? `Access: not included (${access.message})`
              : `Access: unknown (${access.message})`}
      </p>
    </section>
  );
}
