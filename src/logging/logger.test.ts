import { PassThrough } from 'node:stream';
import { createLogger, isLogLevel, objectFields, type LoggerOptions } from './logger.js';
import { REDACTED } from './redact.js';

const NOW = new Date('2026-01-02T03:04:05.678Z');

function capture(options: Partial<LoggerOptions> = {}): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Promise<string[]>;
} {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logger = createLogger({ level: 'info', stream, now: () => NOW, ...options });
  // winston writes asynchronously; a tick later everything logged so far has arrived.
  const lines = async (): Promise<string[]> => {
    await new Promise((r) => setImmediate(r));
    return text.split('\n').filter((l) => l !== '');
  };
  return { logger, lines };
}

async function events(lines: () => Promise<string[]>): Promise<Array<Record<string, unknown>>> {
  return (await lines()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('writes one JSON object per line with timestamp, level, message and the fields passed', async () => {
    const { logger, lines } = capture();
    logger.info('task launched', {
      namespace: 'team-a',
      name: 't1',
      framework: 'alpha',
      task: 't1',
      node: 'n1',
    });
    logger.warn('offer declined\nwith a newline in the message', { framework: 'alpha', offer: 'o-1' });
    const raw = await lines();
    expect(raw).toHaveLength(2);
    expect(JSON.parse(raw[0]!)).toEqual({
      timestamp: NOW.toISOString(),
      level: 'info',
      message: 'task launched',
      namespace: 'team-a',
      name: 't1',
      framework: 'alpha',
      task: 't1',
      node: 'n1',
    });
    expect(JSON.parse(raw[1]!)).toMatchObject({
      level: 'warn',
      message: 'offer declined\nwith a newline in the message',
    });
  });

  it('drops events below the configured level', async () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.debug('hidden');
    logger.error('shown');
    expect((await events(lines)).map((e) => e.message)).toEqual(['shown']);
  });

  it('adds default and child fields', async () => {
    const { logger, lines } = capture({ defaultMeta: { component: 'kmesos' } });
    logger.child({ controller: 'task' }).info('reconciled', { namespace: 'a', name: 'b' });
    expect((await events(lines))[0]).toMatchObject({
      component: 'kmesos',
      controller: 'task',
      namespace: 'a',
    });
  });

  it('never writes secrets', async () => {
    const { logger, lines } = capture();
    logger.info('kubeconfig loaded Bearer abc.def-ghi', {
      token: 'tok-1',
      password: 'pw',
      headers: { Authorization: 'Bearer xyz', 'content-type': 'json' },
      user: { 'client-key-data': 'LS0tLS1CRUdJTi', 'client-certificate-data': 'public', name: 'admin' },
      tokenReview: { spec: { token: 'tok-2' } },
      bearerToken: 'tok-3',
      secretName: 'a-secret-ref',
      error: new Error('401 for Bearer tok-4'),
    });
    const [line] = await lines();
    for (const secret of ['tok-1', 'pw"', 'xyz', 'LS0tLS1CRUdJTi', 'tok-2', 'tok-3', 'tok-4', 'abc.def']) {
      expect(line).not.toContain(secret);
    }
    const event = JSON.parse(line!) as Record<string, unknown>;
    expect(event).toMatchObject({
      message: `kubeconfig loaded Bearer ${REDACTED}`,
      token: REDACTED,
      headers: { Authorization: REDACTED, 'content-type': 'json' },
      user: { 'client-key-data': REDACTED, 'client-certificate-data': 'public', name: 'admin' },
      secretName: 'a-secret-ref',
      error: { name: 'Error', message: `401 for Bearer ${REDACTED}` },
    });
  });

  it('survives circular metadata', async () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'x' };
    loop.self = loop;
    logger.info('loop', { obj: loop });
    expect((await events(lines))[0]).toMatchObject({ obj: { name: 'x', self: '[Circular]' } });
  });
});

describe('isLogLevel', () => {
  it.each([
    ['info', true],
    ['debug', true],
    ['trace', false],
    ['', false],
  ])('%s → %s', (level, want) => {
    expect(isLogLevel(level)).toBe(want);
  });
});

describe('objectFields', () => {
  it.each([
    ['namespaced', { metadata: { namespace: 'a', name: 'b' } }, { namespace: 'a', name: 'b' }],
    ['cluster-scoped', { metadata: { name: 'n1' } }, { name: 'n1' }],
    ['no metadata', {}, {}],
  ])('%s', (_name, obj, want) => {
    expect(objectFields(obj)).toEqual(want);
  });
});
