/** CPU time and memory of a child process, from /proc (Linux). */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on (getconf CLK_TCK). */
const CLK_TCK = 100;

export interface ProcUsage {
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
  /** Peak resident set (VmHWM), MiB. */
  peakRssMiB: number;
  rssMiB: number;
}

export async function procUsage(pid: number): Promise<ProcUsage> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state = field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: (utime + stime) / CLK_TCK,
    peakRssMiB: kb('VmHWM') / 1024,
    rssMiB: kb('VmRSS') / 1024,
  };
}
