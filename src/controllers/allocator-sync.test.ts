import { Writable } from 'node:stream';
import { Allocator } from '../allocator/index.js';
import { frameworkObject, readyNode } from '../api/test-builders.js';
import type { ResourceRole } from '../api/types.js';
import { ClusterState } from '../cluster/state.js';
import { LaunchLedger } from '../launcher/ledger.js';
import { createLogger } from '../logging/logger.js';
import { ManualClock } from '../util/clock.js';
import { AllocatorSync } from './allocator-sync.js';

const quiet = createLogger({ level: 'error', stream: new Writable({ write: (_c, _e, cb) => cb() }) });

function role(name: string, quota: Record<string, Record<string, string>>, weight = 1): ResourceRole {
  return {
    apiVersion: 'kmesos.io/v1alpha1',
    kind: 'ResourceRole',
    metadata: { name, generation: 1 },
    spec: { weight, quota },
  } as unknown as ResourceRole;
}

function setup(): { sync: AllocatorSync; state: ClusterState; alloc: Allocator } {
  const clock = new ManualClock(0);
  const alloc = new Allocator({ clock });
  const state = new ClusterState();
  const ledger = new LaunchLedger({ clock, unseenTtlMs: 1000, release: (k) => alloc.removeTask(k) });
  return { sync: new AllocatorSync(alloc, state, ledger, quiet), state, alloc };
}

describe('AllocatorSync isolation', () => {
  it('leaves out a ResourceRole and a Framework it cannot read, and goes on with the rest', () => {
    const { sync, state, alloc } = setup();
    state.upsert('node', readyNode('n1'));
    state.upsert('role', role('bad', { limit: { cpu: '-5' } }));
    state.upsert('role', role('good', {}, 3));
    const badFw = frameworkObject('badfw');
    badFw.spec.offerFilters.minAllocatable = { cpu: '1e400' };
    state.upsert('framework', badFw);
    state.upsert('framework', frameworkObject('ok', { role: 'good' }));
    expect(() => sync.sync()).not.toThrow();
    expect([...sync.invalid.roles.keys()]).toEqual(['bad']);
    expect([...sync.invalid.frameworks.keys()]).toEqual(['ns/badfw']);
    expect(sync.invalid.roles.get('bad')?.map((i) => i.field)).toEqual(['spec.quota.limit.cpu']);
    expect(sync.invalid.frameworks.get('ns/badfw')?.map((i) => i.field)).toEqual([
      'spec.offerFilters.minAllocatable.cpu',
    ]);
    // The healthy framework is in the allocator and places a task; the broken one is not.
    const placed = alloc.placeTasks([
      { taskId: 'ns/t-1', frameworkId: 'ns/ok', resources: { cpu: 1000 }, createdAt: 0 },
      { taskId: 'ns/u-1', frameworkId: 'ns/badfw', resources: { cpu: 1000 }, createdAt: 0 },
    ]);
    expect(placed.placements.map((p) => p.taskId)).toEqual(['ns/t-1']);
    expect(placed.unschedulable.map((u) => u.taskId)).toEqual(['ns/u-1']);
    // ok holds 1 of 4 cpu in role good of weight 3: 0.25 / 3.
    expect(alloc.roleShare('good')).toBeCloseTo(0.25 / 3, 10);
  });

  it('forgets the problems of an object that was fixed or deleted', () => {
    const { sync, state } = setup();
    state.upsert('role', role('bad', { limit: { cpu: '-5' } }));
    const badFw = frameworkObject('badfw');
    badFw.spec.offerFilters.minAllocatable = { cpu: '-1' };
    state.upsert('framework', badFw);
    sync.sync();
    expect([sync.invalid.roles.size, sync.invalid.frameworks.size]).toEqual([1, 1]);
    state.upsert('role', role('bad', { limit: { cpu: '5' } }));
    state.remove('framework', badFw);
    sync.sync();
    expect([sync.invalid.roles.size, sync.invalid.frameworks.size]).toEqual([0, 0]);
  });
});

describe('AllocatorSync external frameworks', () => {
  it('offers nothing to an External framework whose scheduler is not connected', () => {
    const { sync, state, alloc } = setup();
    state.upsert('node', readyNode('n1'));
    state.upsert('framework', frameworkObject('ext', { scheduler: 'External' }));
    sync.sync();
    expect(alloc.allocate().offers).toEqual([]);
  });

  it('offers to it once its scheduler is connected', () => {
    const clock = new ManualClock(0);
    const alloc = new Allocator({ clock });
    const state = new ClusterState();
    const ledger = new LaunchLedger({ clock, unseenTtlMs: 1000, release: (k) => alloc.removeTask(k) });
    let connected = false;
    const sync = new AllocatorSync(alloc, state, ledger, quiet, () => connected);
    state.upsert('node', readyNode('n1'));
    state.upsert('framework', frameworkObject('ext', { scheduler: 'External' }));
    sync.sync();
    expect(alloc.allocate().offers).toEqual([]);
    connected = true;
    // A changed framework object makes the sync look at it again.
    state.upsert('framework', { ...frameworkObject('ext', { scheduler: 'External' }) });
    sync.sync();
    expect(alloc.allocate().offers.map((o) => [o.frameworkId, o.hostname])).toEqual([['ns/ext', 'n1']]);
  });
});
