import { formatDate, formatMoney } from '../../src/format.js';
import type { PriceMigrationDryRun } from '../app/types.js';
import { SummaryList } from '../components/SummaryList.js';
import { Table } from '../components/Table.js';

/** What a migration would do, before anything changes: the count, MRR before → after, each next invoice. */
export function DryRunResult({ plan }: { plan: PriceMigrationDryRun }) {
  const money = (amount: number) => formatMoney(amount, plan.currency);
  return (
    <section aria-labelledby="dry-run-title" className="card">
      <h2 id="dry-run-title">Dry run</h2>
      <SummaryList
        rows={[
          ['Subscriptions', plan.subscriptions],
          ['MRR', `${money(plan.mrr_before)} → ${money(plan.mrr_after)}`],
          ...(plan.held_elsewhere > 0
            ? [['Held by another migration', plan.held_elsewhere] as [string, number]]
            : []),
        ]}
      />
      <Table
        caption="Each customer's next invoice"
        showCaption
        columns={['Customer', 'Now', 'Next invoice', 'Next invoice date']}
      >
        {plan.lines.map((line) => (
          <tr key={line.subscription_id}>
            <th scope="row">{line.customer_name ?? line.customer_email ?? line.customer_id}</th>
            <td>{money(line.amount_before)}</td>
            <td>{money(line.next_invoice_amount)}</td>
            <td>{formatDate(line.next_invoice_at)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
