import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { SettingToggle } from './SettingToggle.js';

/** The Stripe connection as Recur sees it (secrets only ever masked) and the operator switches. */
export function SettingsPage() {
  const api = useApi();
  const settings = useQuery({
    queryKey: ['settings'],
    queryFn: () => unwrap(api.GET('/api/admin/settings')),
  });
  const s = settings.data;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ErrorAlert error={settings.error} />
      {settings.isPending && <Loading what="settings" />}
      {s && (
        <>
          <section className="card" aria-labelledby="stripe-title">
            <h2 id="stripe-title">Stripe</h2>
            <dl className="summary">
              <div>
                <dt>Mode</dt>
                <dd>
                  <span className={`badge ${s.stripe.mode}`}>{s.stripe.mode}</span>
                  {s.stripe.emulated && ' (built-in emulator)'}
                </dd>
              </div>
              <div>
                <dt>Secret key</dt>
                <dd>{s.stripe.secret_key ?? 'none: the built-in emulator is used'}</dd>
              </div>
              <div>
                <dt>Webhook signing secret</dt>
                <dd>{s.stripe.webhook_secret_set ? 'set' : 'not set: webhooks cannot be verified'}</dd>
              </div>
              <div>
                <dt>Webhook processing</dt>
                <dd>{s.processing_paused ? 'paused (events are stored, not applied)' : 'running'}</dd>
              </div>
            </dl>
          </section>
          <section className="card" aria-labelledby="switches-title">
            <h2 id="switches-title">Switches</h2>
            <p>
              <SettingToggle setting="auto_sync_enabled" value={s.auto_sync_enabled} /> every{' '}
              {Math.round(s.sync_interval_seconds / 60)} min
            </p>
            <p>
              <SettingToggle setting="cache_enabled" value={s.cache_enabled} /> entries live{' '}
              {s.cache_ttl_seconds} s
            </p>
            <p>
              <SettingToggle setting="tax_enabled" value={s.tax_enabled} /> on Checkout and subscription
              changes
            </p>
          </section>
        </>
      )}
    </section>
  );
}
