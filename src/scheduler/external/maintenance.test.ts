import type { V1Node } from '@kubernetes/client-node';
import { Maintenance } from './maintenance.js';

const node = (uid: string, cordoned = false): V1Node => ({
  metadata: { name: `n-${uid}`, uid },
  spec: { unschedulable: cordoned },
});
const ids = new Map([['ns/fw', 'F']]);

describe('Maintenance', () => {
  it('makes one inverse offer per framework and cordoned agent it runs on, rescinded when the agent is back', () => {
    const m = new Maintenance('m');
    const tasks = new Map([['ns/fw', new Set(['a1', 'a2'])]]);
    expect(m.update([node('a1'), node('a2')], tasks, ids, 10).inverseOffers.size).toBe(0);
    const cordoned = m.update([node('a1', true), node('a2'), node('a3', true)], tasks, ids, 10);
    expect(cordoned.inverseOffers.get('ns/fw')).toEqual([
      {
        id: { value: 'm-I0' },
        framework_id: { value: 'F' },
        agent_id: { value: 'a1' },
        unavailability: { start: { nanoseconds: 10e9 } },
      },
    ]);
    // Told once, not every cycle.
    expect(m.update([node('a1', true), node('a2')], tasks, ids, 11).inverseOffers.size).toBe(0);
    const back = m.update([node('a1'), node('a2')], tasks, ids, 12);
    expect(back.rescinded.get('ns/fw')).toEqual(['m-I0']);
  });

  it('rescinds an inverse offer when the framework’s tasks leave the agent, and reports agents gone', () => {
    const m = new Maintenance('m');
    m.update([node('a1', true), node('a2')], new Map([['ns/fw', new Set(['a1', 'a2'])]]), ids, 0);
    const left = m.update([node('a1', true)], new Map([['ns/fw', new Set(['a2'])]]), ids, 1);
    expect(left.rescinded.get('ns/fw')).toEqual(['m-I0']);
    expect(left.failures.get('ns/fw')).toEqual(['a2']);
  });
});
