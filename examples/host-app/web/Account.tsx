import type { AppUser } from './backend.js';
import { ReportsAccess } from './ReportsAccess.js';

export function Account(_: { user: AppUser }) {
  return <ReportsAccess />;
}
