import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);

/** The last twelve months' dispute rate per currency, against the card networks' warning level. */
export function DisputeRates() {
  const api = useApi();
  const report = useQuery({
    queryKey: ['reports', 'disputes'],
    queryFn: () => unwrap(api.GET('/api/reports/disputes', { params: { query: {} } })),
  });
  const months = (report.data?.months ?? []).filter(
    (m) => m.charges > 0 || m.disputes > 0 || m.inquiries > 0,
  );
  return (
    <section aria-labelledby="dispute-rates-title">
      <h2 id="dispute-rates-title">Dispute rate by month</h2>
      <p>
        Card networks start monitoring an account whose disputes reach{' '}
        {percent(report.data?.warning_rate ?? 0.009)} of its charges.
      </p>
      <ErrorAlert error={report.error} />
      {report.isPending ? (
        <Loading what="the dispute report" />
      ) : months.length ? (
        <Table
          caption="Disputes by month"
          columns={['Month', 'Charges', 'Disputes', 'Rate', 'Disputed', 'Won', 'Lost', 'Inquiries']}
        >
          {months.map((m) => (
            <tr key={`${m.month}-${m.currency}`}>
              <th scope="row">
                {m.month} <span className="cell-secondary">{m.currency.toUpperCase()}</span>
              </th>
              <td>{m.charges}</td>
              <td>{m.disputes}</td>
              <td>
                {percent(m.dispute_rate)}
                {m.over_warning_rate && <span className="badge lost"> over 0.9%</span>}
              </td>
              <td>{formatMoney(m.disputed_amount, m.currency)}</td>
              <td>
                {m.won} ({formatMoney(m.won_amount, m.currency)})
              </td>
              <td>
                {m.lost} ({formatMoney(m.lost_amount, m.currency)})
              </td>
              <td>{m.inquiries}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No charges or disputes in the last twelve months.</p>
      )}
    </section>
  );
}
