/** The web UI's pure helpers (web/src), which run in the browser. */
import { formatFigure, formatFigures, formatShare, percent } from '../../web/src/format.js';
import { record } from '../../web/src/history.js';
import { parseSse } from '../../web/src/sse.js';

describe('parseSse', () => {
  it.each<[string, string, { event: string; data: string }[], string]>([
    ['one whole event', 'event: view\ndata: {"a":1}\n\n', [{ event: 'view', data: '{"a":1}' }], ''],
    ['a partial event kept for later', 'event: view\ndata: {"a"', [], 'event: view\ndata: {"a"'],
    ['comments and retry skipped', 'retry: 2000\n\n: keep-alive\n\n', [], ''],
    ['multi-line data joined', 'data: a\ndata: b\n\n', [{ event: 'message', data: 'a\nb' }], ''],
    ['CRLF line ends', 'event: view\r\ndata: x\r\n\r\nevent: v', [{ event: 'view', data: 'x' }], 'event: v'],
  ])('%s', (_name, buffer, events, rest) => {
    expect(parseSse(buffer)).toEqual({ events, rest });
  });
});

describe('formatFigure', () => {
  it.each<[string, number, string]>([
    ['cpu', 9000, '9'],
    ['cpu', 250, '0.25'],
    ['cpu', 0, '0'],
    ['memory', 18 * 2 ** 30, '18 GiB'],
    ['memory', 1.5 * 2 ** 30, '1.5 GiB'],
    ['memory', 128 * 2 ** 20, '128 MiB'],
    ['ephemeral-storage', 0, '0 MiB'],
    ['nvidia.com/gpu', 2, '2'],
  ])('%s %d → %s', (resource, value, want) => {
    expect(formatFigure(resource, value)).toBe(want);
  });

  it('lists cpu and memory first and leaves out zeros', () => {
    expect(formatFigures({ pods: 3, memory: 2 ** 30, cpu: 500, disk: 0 })).toBe('cpu 0.5, mem 1 GiB, pods 3');
    expect(formatFigures({})).toBe('—');
  });

  it.each<[number, number, number]>([
    [1, 4, 25],
    [5, 4, 100],
    [1, 0, 0],
  ])('percent(%d, %d) = %d', (part, whole, want) => {
    expect(percent(part, whole)).toBe(want);
  });

  it('shows a share to four decimals, or a dash when unknown', () => {
    expect([formatShare(2 / 3), formatShare(undefined)]).toEqual(['0.6667', '—']);
  });
});

describe('record', () => {
  it('appends a sample per name, keeps the last `length`, and drops names no longer present', () => {
    let h = record(
      new Map(),
      new Map([
        ['a', 0.1],
        ['b', 0.2],
      ]),
      3,
    );
    h = record(h, new Map([['a', 0.2]]), 3);
    h = record(h, new Map([['a', 0.3]]), 3);
    h = record(h, new Map([['a', 0.4]]), 3);
    expect([...h]).toEqual([['a', [0.2, 0.3, 0.4]]]);
  });
});
