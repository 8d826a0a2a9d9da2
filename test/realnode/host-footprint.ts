/**
 * What a real node could leave on the host: mounts, network namespaces, interfaces, iptables
 * rules, the kernel settings a kubelet changes, and processes in node cgroups. Taken before a
 * node starts and after it stops, the two must be equal.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { topGroups } from '../../dev/cgroups.js';

const run = promisify(execFile);

export interface HostFootprint {
  mounts: string[];
  /** Network namespaces of all processes other than the host's own. */
  netns: string[];
  interfaces: string[];
  iptables: string[];
  sysctls: Record<string, string>;
  /** cgroup trees of real nodes started by this process, and their socket folders. */
  nodeCgroups: string[];
  nodeSockets: string[];
}

const SYSCTLS = [
  'net/ipv4/ip_forward',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];

async function processNetns(): Promise<string[]> {
  const host = await readlink('/proc/self/ns/net');
  const found = new Set<string>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ns = await readlink(`/proc/${pid}/ns/net`).catch(() => host);
    if (ns !== host) found.add(ns);
  }
  return [...found].sort();
}

export async function hostFootprint(): Promise<HostFootprint> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  // Mount point and source: mount IDs change with every remount, and say nothing here.
  const mounts = mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const dash = fields.indexOf('-');
      return `${fields[4] ?? ''} ${fields[dash + 1] ?? ''} ${fields[dash + 2] ?? ''}`;
    })
    .sort();
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
  const interfaces = links
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1]?.trim() ?? '')
    .sort();
  // Counters change as packets pass; the rules are what matters.
  const iptables = (await run('iptables-save', ['-c'])).stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^\[\d+:\d+\] /, '').replace(/ \[\d+:\d+\]$/, ''));
  const sysctls: Record<string, string> = {};
  for (const key of SYSCTLS) sysctls[key] = (await readFile(`/proc/sys/${key}`, 'utf8')).trim();
  return {
    mounts,
    netns: await processNetns(),
    interfaces,
    iptables,
    sysctls,
    nodeCgroups: topGroups(new RegExp(`^kmesos-rn-${process.pid}-`)),
    nodeSockets: (await readdir('/tmp')).filter((n) => n.startsWith(`kmesos-rn-${process.pid}-`)),
  };
}
