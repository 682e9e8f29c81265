import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';

/** Revenue by month in one currency: invoiced with its tax apart and net of it, and collected. */
export function RevenueTable({ currency, money }: { currency: string; money(v: number): string }) {
  const api = useApi();
  const revenue = useQuery({
    queryKey: ['reports', 'revenue', currency],
    queryFn: () => unwrap(api.GET('/api/reports/revenue', { params: { query: { currency } } })),
    staleTime: 0,
    refetchInterval: 60_000,
  });
  const recent = (revenue.data?.months ?? []).slice(-6).reverse();
  return (
    <>
      <ErrorAlert error={revenue.error} />
      <Table
        caption="Revenue, last six months (tax apart)"
        showCaption
        columns={['Month', 'Invoiced', 'Tax', 'Net of tax', 'Collected', 'Collected net of tax']}
      >
        {recent.map((m) => (
          <tr key={m.month}>
            <th scope="row">{m.month}</th>
            <td>{money(m.invoiced)}</td>
            <td>{money(m.invoiced_tax)}</td>
            <td>{money(m.invoiced_net)}</td>
            <td>{money(m.collected)}</td>
            <td>{money(m.collected_net)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
