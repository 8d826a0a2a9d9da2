/** CPU time and memory of a child process, from /proc (Linux). */
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';

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

export interface ComponentUsage extends ProcUsage {
  /** The executable's file name: kube-apiserver, etcd, kwok, ... */
  name: string;
  pid: number;
}

/**
 * Every running process whose command line names `dir` (a control plane's run folder, which
 * each component's flags point into), with its CPU time and peak memory so far.
 */
export async function usageOfProcessesIn(dir: string): Promise<ComponentUsage[]> {
  const out: ComponentUsage[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (!argv.some((a) => a.includes(dir))) continue;
      out.push({ name: basename(argv[0] ?? ''), pid, ...(await procUsage(pid)) });
    } catch {
      // Exited while being read, or not ours to read: not a component.
      continue;
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
