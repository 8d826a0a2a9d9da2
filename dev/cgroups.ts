/**
 * cgroup v1 (and hybrid) trees of real nodes. Each node lives in one tree, `/<name>`, in
 * every mounted hierarchy: its containerd, kubelet and namespace holder in `<name>/runtime`,
 * its pods in `<name>/kubepods` (the kubelet's cgroupRoot). Killing every process of the
 * tree and removing its folders leaves nothing of the node behind, even when the process
 * that started it died without stopping it.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup';

/** The mounted hierarchies (cpu, memory, …, and cgroup2's `unified` in hybrid mode). */
export function hierarchies(root = ROOT): string[] {
  if (existsSync(join(root, 'cgroup.procs')))
    throw new Error(
      `${root} is a cgroup v2 hierarchy alone: real nodes need cgroup v1 or hybrid hierarchies`,
    );
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'cgroup.procs')));
}

/** Creates `path` (relative, e.g. `kmesos-rn-1-0/runtime`) in every hierarchy. */
export function createGroup(path: string, root = ROOT): void {
  for (const hierarchy of hierarchies(root)) {
    let dir = hierarchy;
    for (const part of path.split('/')) {
      const parent = dir;
      dir = join(dir, part);
      if (!existsSync(dir)) mkdirSync(dir);
      // A new cpuset group has no CPUs or memory nodes until given its parent's.
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        const own = join(dir, file);
        if (existsSync(own) && readFileSync(own, 'utf8').trim() === '')
          writeFileSync(own, readFileSync(join(parent, file), 'utf8'));
      }
    }
  }
}

/** The cgroup.procs files of `path` in every hierarchy, for a process to join the group. */
export function procsFiles(path: string, root = ROOT): string[] {
  return hierarchies(root).map((h) => join(h, path, 'cgroup.procs'));
}

function subtree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const children = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((p) => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false; // removed meanwhile
      }
    });
  return [dir, ...children.flatMap(subtree)];
}

/** Every process in the tree `/<name>` of any hierarchy. */
export function treeProcesses(name: string, root = ROOT): number[] {
  const pids = new Set<number>();
  for (const hierarchy of hierarchies(root)) {
    for (const dir of subtree(join(hierarchy, name))) {
      let text: string;
      try {
        text = readFileSync(join(dir, 'cgroup.procs'), 'utf8');
      } catch {
        continue; // removed meanwhile
      }
      for (const line of text.split('\n')) if (line) pids.add(Number(line));
    }
  }
  return [...pids];
}

/** SIGKILLs every process of the tree once; returns how many there were. */
export function killTree(name: string, root = ROOT): number {
  const pids = treeProcesses(name, root);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

/**
 * Kills the tree's processes until none is left (they may fork meanwhile), then removes its
 * folders, deepest first, in every hierarchy.
 */
export async function destroyTree(name: string, timeoutMs = 30_000, root = ROOT): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (killTree(name, root) > 0) {
    if (Date.now() > deadline)
      throw new Error(`processes of cgroup /${name} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const hierarchy of hierarchies(root)) {
    for (const dir of subtree(join(hierarchy, name)).reverse()) await removeGroup(dir, deadline);
  }
}

/** rmdir, retried while busy: a killed process leaves its group a moment after it is reaped. */
async function removeGroup(dir: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline)
        throw new Error(`cannot remove cgroup ${dir}: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Top-level groups whose name matches `pattern`, in any hierarchy. */
export function topGroups(pattern: RegExp, root = ROOT): string[] {
  const names = new Set<string>();
  for (const hierarchy of hierarchies(root)) {
    for (const name of readdirSync(hierarchy)) if (pattern.test(name)) names.add(name);
  }
  return [...names];
}
