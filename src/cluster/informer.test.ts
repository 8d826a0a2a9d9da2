/**
 * ResilientInformer's sync and restart logic over a stand-in for client-node's informer that
 * behaves as client-node's does: start() lists, reports a failed list as an 'error' event and
 * resolves all the same.
 */
import type { Informer, KubernetesListObject, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger.js';
import { ManualClock } from '../util/clock.js';
import { ResilientInformer, type MakeInformer } from './informer.js';

const quiet = createLogger({
  level: 'error',
  stream: new Writable({ write: (_c, _e, done): void => done() }),
});

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** client-node's ListWatch start(), reduced to its list step. */
const listOnly: MakeInformer<V1Pod> = (_kc, _path, list) => {
  const handlers = new Map<string, ((x: unknown) => void)[]>();
  const emit = (event: string, x: unknown): void => handlers.get(event)?.forEach((h) => h(x));
  return {
    on: (event: string, h: (x: unknown) => void) => handlers.set(event, [...(handlers.get(event) ?? []), h]),
    off: () => undefined,
    start: async () => {
      emit('connect', undefined);
      let items: KubernetesListObject<V1Pod>['items'];
      try {
        items = (await list()).items;
      } catch (err) {
        emit('error', err);
        return;
      }
      for (const item of items) emit('add', item);
    },
    stop: () => Promise.resolve(),
  } as unknown as Informer<V1Pod>;
};

describe('ResilientInformer', () => {
  it('is not synced while its list fails, and syncs with the list of the restart that succeeds', async () => {
    const clock = new ManualClock(0);
    let lists = 0;
    const list = async (): Promise<KubernetesListObject<V1Pod>> => {
      lists++;
      if (lists === 1) throw new Error('fetch failed');
      return Promise.resolve({ metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'a' } }] });
    };
    const seen: string[] = [];
    const informer = new ResilientInformer<V1Pod>(
      {} as KubeConfig,
      { name: 'pods', path: '/api/v1/pods', list },
      { upsert: (p) => seen.push(p.metadata?.name ?? ''), remove: () => undefined },
      quiet,
      clock,
      30_000,
      listOnly,
    );
    let synced = false;
    const started = informer.start().then(() => (synced = true));
    await flush();
    expect(lists).toBe(1);
    expect(synced).toBe(false);
    expect(informer.hasSynced).toBe(false);
    // The first restart comes 250 ms later and lists.
    clock.advance(250);
    await started;
    expect(lists).toBe(2);
    expect(informer.hasSynced).toBe(true);
    expect(seen).toEqual(['a']);
  });
});
