import { frameworkObject, readyNode, taskObject, taskPod } from '../api/test-builders.js';
import { cacheFigures } from './cache-size.js';
import { ClusterState } from './state.js';

function stateWith(nodes: number, ownPods: number, foreignPods: number): ClusterState {
  const s = new ClusterState();
  for (let i = 0; i < nodes; i++) s.upsert('node', readyNode(`n${i}`));
  for (let i = 0; i < ownPods; i++) {
    const t = taskObject(`t${i}`);
    s.upsert('task', t);
    s.upsertPod(taskPod(t, 1));
  }
  for (let i = 0; i < foreignPods; i++)
    s.upsertPod({ metadata: { name: `p${i}`, namespace: 'apps' }, spec: { nodeName: 'n0', containers: [] } });
  s.upsert('framework', frameworkObject('fw'));
  return s;
}

describe('cacheFigures', () => {
  it.each([
    { nodes: 0, own: 0, foreign: 0 },
    { nodes: 3, own: 2, foreign: 5 },
    { nodes: 50, own: 20, foreign: 300 },
  ])('counts $nodes nodes, $own kmesos pods and $foreign foreign pods by kind', ({ nodes, own, foreign }) => {
    const figures = new Map(cacheFigures(stateWith(nodes, own, foreign), 10).map((f) => [f.kind, f]));
    expect(figures.get('node')?.objects).toBe(nodes);
    expect(figures.get('pod')?.objects).toBe(own);
    expect(figures.get('foreign-pod')?.objects).toBe(foreign);
    expect(figures.get('task')?.objects).toBe(own);
    expect(figures.get('framework')?.objects).toBe(1);
    expect(figures.get('role')).toEqual({ kind: 'role', objects: 0, approxBytes: 0 });
  });

  it('keeps the kmesos and foreign pod counts right as pods change, change owner and go', () => {
    const s = stateWith(1, 3, 2);
    const t = taskObject('t0');
    const own = taskPod(t, 1);
    s.upsertPod({ ...own, status: { phase: 'Running' } });
    // The same pod no longer claimed by a Task: foreign from now on.
    s.upsertPod({ ...own, metadata: { ...own.metadata, ownerReferences: [] } });
    s.removePod({ metadata: { name: 'p0', namespace: 'apps' } });
    s.removePod({ metadata: { name: 'never-seen', namespace: 'apps' } });
    const figures = new Map(cacheFigures(s, 10).map((f) => [f.kind, f.objects]));
    expect(figures.get('pod')).toBe(2);
    expect(figures.get('foreign-pod')).toBe(2);
    expect(s.ownPods).toBe(2);
  });

  it('estimates bytes from the sample, scaled to the count', () => {
    const s = new ClusterState();
    const node = readyNode('n0000');
    for (let i = 0; i < 1000; i++)
      s.upsert('node', { ...node, metadata: { ...node.metadata, name: `n${1000 + i}` } });
    const size = JSON.stringify({ ...node, metadata: { ...node.metadata, name: 'n1000' } }).length;
    expect(cacheFigures(s, 10).find((f) => f.kind === 'node')?.approxBytes).toBe(size * 1000);
  });
});
