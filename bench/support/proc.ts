/**
 * What a process (or PostgreSQL as a whole) has cost, read from /proc: CPU time and resident
 * memory. Linux only, as the benchmarks are.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second, the unit of /proc/<pid>/stat's CPU times. */
export const TICKS_PER_SECOND =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name (`utime` is [11]); null once it is gone. */
export function statFields(pid: number | 'self'): string[] | null {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) the process has used; NaN once it is gone. */
export function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? null : statFields(pid);
  if (!fields) return Number.NaN;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident memory now (VmRSS) and at its peak (VmHWM), in MB; NaN once the process is gone. */
export function processMemoryMb(pid: number | undefined): { rss: number; hwm: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {}
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Resident memory (MB) of the process now; NaN once it is gone. */
export const processRssMb = (pid: number | undefined): number => processMemoryMb(pid).rss;

/**
 * CPU time (ms) of the whole PostgreSQL server: the postmaster, every live child (backends, WAL
 * writer, checkpointer…) and every child that has exited since (the postmaster's `cutime`/`cstime`).
 * A difference of two readings is what the server spent in between, backends that came and went
 * included. Other databases on the server count too: the benchmarks run alone.
 */
export function postgresCpuMs(): number {
  const postmaster = findPostmaster();
  const own = statFields(postmaster);
  if (!own) return Number.NaN;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

let postmasterPid: number | null = null;

/** The oldest `postgres` process whose parent is not itself `postgres`. */
function findPostmaster(): number {
  if (postmasterPid !== null && statFields(postmasterPid)) return postmasterPid;
  const comm = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || comm(Number(entry)) !== 'postgres') continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (comm(parent) !== 'postgres') {
      postmasterPid = Number(entry);
      return postmasterPid;
    }
  }
  throw new Error('no PostgreSQL server process found in /proc');
}
