import { SeriesOwners } from './series.js';

describe('SeriesOwners', () => {
  it('prunes only the series of one prefix that are not kept', () => {
    const owners = new SeriesOwners();
    const removed: string[] = [];
    for (const id of ['a|cpu', 'a|memory', 'b|cpu']) owners.track('fw', id, () => removed.push(id));
    owners.prune('fw', 'a|', new Set(['a|cpu']));
    expect(removed).toEqual(['a|memory']);
    expect(owners.count('fw')).toBe(2);
  });

  it('forgets every series of an owner and leaves the others', () => {
    const owners = new SeriesOwners();
    const removed: string[] = [];
    owners.track('x', '1', () => removed.push('x1'));
    owners.track('x', '2', () => removed.push('x2'));
    owners.track('y', '1', () => removed.push('y1'));
    owners.forget('x');
    expect(removed.sort()).toEqual(['x1', 'x2']);
    expect(owners.count('x')).toBe(0);
    expect(owners.count('y')).toBe(1);
  });

  it('tracks a re-written series once', () => {
    const owners = new SeriesOwners();
    let removals = 0;
    owners.track('x', '1', () => removals++);
    owners.track('x', '1', () => removals++);
    owners.forget('x');
    expect(removals).toBe(1);
  });
});
