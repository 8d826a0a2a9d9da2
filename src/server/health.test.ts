import { readiness, type ReadinessState } from './health.js';

describe('readiness', () => {
  it.each<[string, ReadinessState, 200 | 503, string[]]>([
    ['not synced', { cachesSynced: false, leader: false }, 503, ['watch caches not synced']],
    ['synced standby', { cachesSynced: true, leader: false }, 200, []],
    [
      'synced leader, allocator running',
      { cachesSynced: true, leader: true, allocatorRunning: true },
      200,
      [],
    ],
    ['synced leader, allocator not reported', { cachesSynced: true, leader: true }, 200, []],
    [
      'synced leader, allocator stopped',
      { cachesSynced: true, leader: true, allocatorRunning: false },
      503,
      ['leader but the allocator is not running'],
    ],
    [
      'standby ignores the allocator',
      { cachesSynced: true, leader: false, allocatorRunning: false },
      200,
      [],
    ],
  ])('%s', (_name, state, status, reasons) => {
    const report = readiness(state);
    expect(report.status).toBe(status);
    expect(report.body).toEqual({ ...state, ready: status === 200, reasons });
  });
});
