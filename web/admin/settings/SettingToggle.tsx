import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';

type Switch = 'auto_sync_enabled' | 'cache_enabled' | 'tax_enabled';

const WORDS: Record<Switch, { name: string; on: string; off: string }> = {
  auto_sync_enabled: {
    name: 'Auto sync',
    on: 'Recur will pull changes from Stripe on its schedule.',
    off: 'Scheduled syncs stop; webhooks still keep the mirror current, and a sync can be run by hand.',
  },
  cache_enabled: {
    name: 'Plan cache',
    on: 'The public plan catalog is served from the cache.',
    off: 'Every catalog read goes to the database.',
  },
  tax_enabled: {
    name: 'Stripe Tax',
    on: 'Checkout asks for the billing address and tax id, and Stripe adds tax to new and changed subscriptions. Refused unless Stripe Tax is active on the Stripe account.',
    off: 'Checkout and subscription changes no longer ask Stripe for tax; subscriptions taxed already keep their tax.',
  },
};

/** An operator switch: a button showing its state, confirmed before it is flipped for every instance. */
export function SettingToggle({ setting, value }: { setting: Switch; value: boolean }) {
  const api = useApi();
  const words = WORDS[setting];
  const flip = useConfirmedAction(
    (next: boolean) => unwrap(api.PUT('/api/admin/settings', { body: { [setting]: next } })),
    { invalidate: [['settings'], ['sync']] },
  );
  return (
    <>
      <button type="button" aria-pressed={value} className="toggle" onClick={() => flip.open(!value)}>
        {words.name}: {value ? 'on' : 'off'}
      </button>
      {flip.target !== null && (
        <ConfirmDialog
          title={`Turn ${words.name.toLowerCase()} ${flip.target ? 'on' : 'off'}?`}
          confirmLabel={`Turn ${flip.target ? 'on' : 'off'}`}
          busy={flip.busy}
          error={flip.error}
          onConfirm={flip.confirm}
          onClose={flip.close}
        >
          <p>{flip.target ? words.on : words.off}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
