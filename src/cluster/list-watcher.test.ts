/**
 * ListWatcher's reflector logic over a scripted ListWatchClient: what it lists and watches,
 * what reaches the handlers, and how it recovers. The client over a real socket is tested in
 * kube/list-watch-client.test.ts, and the whole against kube-apiserver by the integration suite.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import {
  ApiStatusError,
  type ListPage,
  type ListWatchClient,
  type Query,
  type WatchEvent,
} from '../kube/list-watch-client.js';
import { createLogger } from '../logging/logger.js';
import { ManualClock } from '../util/clock.js';
import { ListWatcher } from './list-watcher.js';

interface OpenWatch {
  query: Query;
  emit(event: WatchEvent): void;
  end(): void;
  fail(err: Error): void;
  aborted: boolean;
}

/** Lists answer from `pages` (or throw what is queued in `listErrors`); each watch stays open until the test ends it. */
class ScriptedClient implements ListWatchClient {
  lists: Query[] = [];
  listErrors: Error[] = [];
  pages: ListPage[] = [];
  watches: OpenWatch[] = [];

  /** When set, pages after the first wait for it. */
  hold: Promise<void> | undefined;

  async list(_path: string, query: Query): Promise<ListPage> {
    this.lists.push(query);
    const err = this.listErrors.shift();
    if (err) throw err;
    if (query.continue && this.hold) await this.hold;
    const page = query.continue ? this.pages[Number(query.continue)] : this.pages[0];
    if (!page) throw new Error(`no page ${query.continue}`);
    return page;
  }

  watch(_path: string, query: Query, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const w: OpenWatch = {
        query,
        aborted: false,
        emit: (e) => {
          try {
            onEvent(e);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        },
        end: resolve,
        fail: reject,
      };
      signal.addEventListener('abort', () => {
        w.aborted = true;
        reject(signal.reason as Error);
      });
      this.watches.push(w);
    });
  }

  get current(): OpenWatch {
    const w = this.watches.at(-1);
    if (!w) throw new Error('no watch');
    return w;
  }
}

const obj = (name: string, rv: string, namespace = 'ns'): KubernetesObject => ({
  metadata: { name, namespace, resourceVersion: rv },
});

function setup(kind: { labelSelector?: string } = {}): {
  client: ScriptedClient;
  clock: ManualClock;
  watcher: ListWatcher;
  seen: string[];
  logs: Record<string, unknown>[];
} {
  const client = new ScriptedClient();
  const clock = new ManualClock(0);
  const seen: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    stream: new Writable({
      write: (c: Buffer, _e, done): void => {
        logs.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  });
  const name = (o: KubernetesObject): string => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  const watcher = new ListWatcher({
    kind: { name: 'pods', path: '/api/v1/pods', ...kind },
    handlers: {
      upsert: (o) => {
        if (o.metadata?.name === 'bad') throw new Error('cannot take it');
        seen.push(`+${name(o)}`);
      },
      remove: (o) => seen.push(`-${name(o)}`),
      relisted: (at) => seen.push(`listed from ${at}`),
    },
    client,
    logger,
    clock,
    random: () => 0.5,
    pageSize: 2,
  });
  return { client, clock, watcher, seen, logs };
}

const settle = async (clock: ManualClock): Promise<void> => clock.advanceAsync(0);

describe('ListWatcher', () => {
  it('lists page by page, then watches from the list version with bookmarks and a spread timeout', async () => {
    const { client, clock, watcher, seen } = setup({ labelSelector: 'pool=a' });
    client.pages = [
      { items: [obj('a', '1'), obj('b', '2')], resourceVersion: '10', continue: '1' },
      { items: [obj('c', '3')], resourceVersion: '10' },
    ];
    let synced = false;
    const started = watcher.start().then(() => (synced = true));
    await settle(clock);
    await started;
    expect(synced).toBe(true);
    expect(watcher.hasSynced).toBe(true);
    expect(client.lists).toEqual([
      { limit: '2', labelSelector: 'pool=a' },
      { limit: '2', continue: '1', labelSelector: 'pool=a' },
    ]);
    expect(seen).toEqual(['+a@1', '+b@2', '+c@3', 'listed from 0']);
    expect(client.current.query).toEqual({
      resourceVersion: '10',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '450',
      labelSelector: 'pool=a',
    });
    await watcher.stop();
    expect(client.current.aborted).toBe(true);
  });

  it('delivers watch events, skips a repeat of a version it has, and re-watches from the last version when the server ends the watch', async () => {
    const { client, clock, watcher, seen } = setup();
    client.pages = [{ items: [obj('a', '1')], resourceVersion: '10' }];
    await Promise.all([watcher.start(), settle(clock)]);
    client.current.emit({ type: 'ADDED', object: obj('b', '11') });
    client.current.emit({ type: 'MODIFIED', object: obj('a', '1') });
    client.current.emit({ type: 'MODIFIED', object: obj('a', '12') });
    client.current.emit({ type: 'DELETED', object: obj('b', '13') });
    client.current.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    clock.advance(60_000);
    client.current.end();
    await settle(clock);
    expect(seen).toEqual(['+a@1', 'listed from 0', '+b@11', '+a@12', '-b@13']);
    expect(client.lists).toHaveLength(1);
    expect(client.watches).toHaveLength(2);
    expect(client.current.query.resourceVersion).toBe('20');
    expect(watcher.size).toBe(1);
    await watcher.stop();
  });

  it('lists again on 410 Gone and removes what vanished meanwhile, delivering only what changed', async () => {
    const { client, clock, watcher, seen, logs } = setup();
    client.pages = [{ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '10' }];
    await Promise.all([watcher.start(), settle(clock)]);
    client.pages = [{ items: [obj('a', '1'), obj('c', '30')], resourceVersion: '40' }];
    clock.advance(5_000);
    client.current.emit({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired', message: 'too old resource version: 10 (35)' },
    });
    await settle(clock);
    expect(client.lists).toHaveLength(2);
    expect(seen).toEqual(['+a@1', '+b@2', 'listed from 0', '+c@30', '-b@2', 'listed from 5000']);
    expect(client.current.query.resourceVersion).toBe('40');
    expect(logs.find((l) => l.message === 'watch expired; listing again')).toMatchObject({
      kind: 'pods',
      retryInMs: 0,
      error: '410: too old resource version: 10 (35)',
    });
    await watcher.stop();
  });

  it('retries a failed list with exponential backoff, synced only once a list succeeds', async () => {
    const { client, clock, watcher, logs } = setup();
    client.pages = [{ items: [obj('a', '1')], resourceVersion: '10' }];
    client.listErrors = [new Error('connect ECONNREFUSED'), new ApiStatusError(503, 'unavailable')];
    let synced = false;
    const started = watcher.start().then(() => (synced = true));
    await settle(clock);
    expect(client.lists).toHaveLength(1);
    await clock.advanceAsync(249);
    expect(client.lists).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(client.lists).toHaveLength(2);
    expect(synced).toBe(false);
    expect(watcher.hasSynced).toBe(false);
    await clock.advanceAsync(500);
    await started;
    expect(client.lists).toHaveLength(3);
    expect(logs.filter((l) => l.message === 'watch failed; restarting').map((l) => l.retryInMs)).toEqual([
      250, 500,
    ]);
    // Events reset the backoff: the next failure waits 250 ms again.
    client.current.emit({ type: 'ADDED', object: obj('b', '11') });
    client.current.fail(new Error('socket hang up'));
    await settle(clock);
    expect(logs.at(-1)).toMatchObject({
      message: 'watch failed; restarting',
      retryInMs: 250,
      error: 'socket hang up',
    });
    await clock.advanceAsync(250);
    expect(client.watches).toHaveLength(2);
    expect(client.current.query.resourceVersion).toBe('11');
    await watcher.stop();
  });

  it('backs off when the server ends watches at once without events, and when 410 repeats', async () => {
    const { client, clock, watcher, logs } = setup();
    client.pages = [{ items: [], resourceVersion: '10' }];
    await Promise.all([watcher.start(), settle(clock)]);
    client.current.end();
    await settle(clock);
    expect(client.watches).toHaveLength(1);
    await clock.advanceAsync(250);
    expect(client.watches).toHaveLength(2);
    client.current.emit({ type: 'ERROR', object: { code: 410, message: 'gone' } });
    await settle(clock);
    expect(client.lists).toHaveLength(1);
    await clock.advanceAsync(500);
    expect(client.lists).toHaveLength(2);
    expect(logs.map((l) => l.retryInMs)).toEqual([250, 500]);
    await watcher.stop();
  });

  it('gives up on a watch left open past its timeout and watches again', async () => {
    const { client, clock, watcher } = setup();
    client.pages = [{ items: [], resourceVersion: '10' }];
    await Promise.all([watcher.start(), settle(clock)]);
    client.current.emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } });
    await clock.advanceAsync(479_999);
    expect(client.current.aborted).toBe(false);
    await clock.advanceAsync(1);
    expect(client.watches[0]?.aborted).toBe(true);
    await clock.advanceAsync(250);
    expect(client.watches).toHaveLength(2);
    expect(client.current.query.resourceVersion).toBe('15');
    await watcher.stop();
  });

  it('logs an object its handler cannot take and goes on with the others', async () => {
    const { client, clock, watcher, seen, logs } = setup();
    client.pages = [{ items: [obj('a', '1'), obj('bad', '2'), obj('c', '3')], resourceVersion: '10' }];
    await Promise.all([watcher.start(), settle(clock)]);
    expect(seen).toEqual(['+a@1', '+c@3', 'listed from 0']);
    expect(logs.find((l) => l.message === 'watch handler failed')).toMatchObject({
      level: 'error',
      kind: 'pods',
      object: 'ns/bad',
    });
    expect(String(logs.find((l) => l.message === 'watch handler failed')?.error)).toContain('cannot take it');
    await watcher.stop();
  });

  it('stops in the middle of a paged list without starting a watch', async () => {
    const { client, clock, watcher } = setup();
    client.pages = [
      { items: [obj('a', '1')], resourceVersion: '10', continue: '1' },
      { items: [], resourceVersion: '10' },
    ];
    let release = (): void => undefined;
    client.hold = new Promise((r) => (release = r));
    void watcher.start();
    await settle(clock);
    expect(client.lists).toHaveLength(2);
    const stopping = watcher.stop();
    release();
    await stopping;
    await settle(clock);
    expect(client.watches).toHaveLength(0);
    expect(watcher.hasSynced).toBe(false);
  });

  it('stops while waiting to retry', async () => {
    const { client, clock, watcher } = setup();
    client.listErrors = [new Error('down')];
    void watcher.start();
    await settle(clock);
    await watcher.stop();
    await clock.advanceAsync(10_000);
    expect(client.lists).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
