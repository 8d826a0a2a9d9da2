import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FETCH_SCRIPT, fetchArgs, fetchContainer, fetchedName, type FetchUri } from './fetch.js';

describe('fetchedName', () => {
  it.each<[FetchUri, string]>([
    [{ uri: 'https://example.com/dist/app.tgz?sig=1#x' }, 'app.tgz'],
    [{ uri: 'https://example.com/dist/' }, 'dist'],
    [{ uri: '/opt/tools/run.sh' }, 'run.sh'],
    [{ uri: 'https://example.com/a', outputFile: 'bin/a' }, 'bin/a'],
  ])('%j → %s', (uri, want) => {
    expect(fetchedName(uri)).toBe(want);
  });
});

describe('the fetch script', () => {
  /** Runs the script as the init container would, in a fresh sandbox; returns the sandbox. */
  function fetch(uris: FetchUri[]): string {
    const sandbox = mkdtempSync(join(tmpdir(), 'kmesos-sandbox-'));
    execFileSync('sh', ['-c', FETCH_SCRIPT, 'fetch', ...fetchArgs(uris)], { cwd: sandbox, stdio: 'pipe' });
    return sandbox;
  }

  it('copies files, names them, marks them executable and unpacks archives as asked', () => {
    const src = mkdtempSync(join(tmpdir(), 'kmesos-src-'));
    writeFileSync(join(src, 'run.sh'), 'echo hi\n');
    chmodSync(join(src, 'run.sh'), 0o644);
    mkdirSync(join(src, 'pkg'));
    writeFileSync(join(src, 'pkg', 'data.txt'), 'payload');
    execFileSync('tar', ['-czf', join(src, 'pkg.tar.gz'), '-C', src, 'pkg']);
    const sandbox = fetch([
      { uri: `file://${join(src, 'run.sh')}`, executable: true, extract: false, outputFile: 'bin/start' },
      { uri: join(src, 'pkg.tar.gz') },
      { uri: join(src, 'pkg.tar.gz'), extract: false, outputFile: 'kept.tar.gz' },
    ]);
    expect(readFileSync(join(sandbox, 'bin/start'), 'utf8')).toBe('echo hi\n');
    expect(statSync(join(sandbox, 'bin/start')).mode & 0o111).not.toBe(0);
    // Extracted into the sandbox, the archive kept as Mesos keeps it.
    expect(readFileSync(join(sandbox, 'pkg/data.txt'), 'utf8')).toBe('payload');
    expect(existsSync(join(sandbox, 'pkg.tar.gz'))).toBe(true);
    expect(existsSync(join(sandbox, 'kept.tar.gz'))).toBe(true);
  });

  it('fails, naming the URI, when a file cannot be fetched', () => {
    expect(() => fetch([{ uri: '/nonexistent/file' }])).toThrow();
    expect(() => fetch([{ uri: 'gopher://x/y' }])).toThrow(/unsupported URI scheme/);
  });

  it('passes URIs as arguments, never as shell text', () => {
    const container = fetchContainer(
      [{ uri: 'https://x/$(reboot);a', executable: true }],
      { image: 'busybox:1.37', sandbox: '/mnt/mesos/sandbox', runAsUser: 65534 },
      { name: 'task', securityContext: { readOnlyRootFilesystem: true } },
    );
    expect(container.command).toEqual([
      'sh',
      '-c',
      FETCH_SCRIPT,
      'fetch',
      'https://x/$(reboot);a',
      'xe',
      '$(reboot);a',
    ]);
    expect(container.securityContext).toEqual({ readOnlyRootFilesystem: true, runAsUser: 65534 });
  });
});
