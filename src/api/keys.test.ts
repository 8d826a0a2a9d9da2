import { frameworkKeyOfTask, joinKey, objectKey, splitKey } from './keys.js';

describe('object keys', () => {
  it.each([
    { name: 'namespaced', namespace: 'demo', object: 'a', want: 'demo/a' },
    { name: 'cluster-scoped', namespace: undefined, object: 'eng.ml', want: 'eng.ml' },
    { name: 'empty namespace is cluster-scoped', namespace: '', object: 'n1', want: 'n1' },
  ])('$name', ({ namespace, object, want }) => {
    expect(joinKey(namespace, object)).toBe(want);
    expect(objectKey({ metadata: { namespace, name: object } })).toBe(want);
    expect(splitKey(want)).toEqual({ namespace: namespace ?? '', name: object });
  });

  it('splits at the first slash only', () => {
    expect(splitKey('ns/a/b')).toEqual({ namespace: 'ns', name: 'a/b' });
  });

  it('puts a task framework in the task namespace', () => {
    expect(frameworkKeyOfTask({ metadata: { namespace: 'team' }, spec: { framework: 'fw' } })).toBe(
      'team/fw',
    );
  });
});
