import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../src/api/client.js';
import { useApi } from './session.js';

/**
 * Every plan, archived ones included, as the pages that choose or filter by plan read it. Asked
 * again whenever such a page opens: a plan made through the API since shows at once.
 */
export function useAllPlans() {
  const api = useApi();
  return useQuery({
    queryKey: ['plans', 'all'],
    queryFn: () => unwrap(api.GET('/api/plans', { params: { query: { status: 'all' } } })),
    staleTime: 0,
  });
}
