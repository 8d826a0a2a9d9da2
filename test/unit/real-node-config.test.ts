import { parseParts } from '../../dev/real-node.js';
import { parseEndpoint } from '../../dev/relay.js';
import { connectTarget, registryKeys } from '../../dev/egress-proxy.js';

describe('parseEndpoint', () => {
  it.each([
    ['tcp:127.0.0.1:6443', { host: '127.0.0.1', port: 6443 }],
    ['unix:/tmp/x/api.sock', { path: '/tmp/x/api.sock' }],
  ])('reads %s', (text, endpoint) => {
    expect(parseEndpoint(text)).toEqual(endpoint);
  });

  it.each(['tcp:127.0.0.1', 'unix:', 'http://127.0.0.1:80', '127.0.0.1:6443'])('refuses %s', (text) => {
    expect(() => parseEndpoint(text)).toThrow(/neither tcp:HOST:PORT nor unix:PATH/);
  });
});

describe('parseParts', () => {
  const output = [
    'kubelet=/c/bin/kubelet-v1',
    'containerd=/c/bin/containerd-v2',
    'runc=/usr/sbin/runc',
    'cni=/usr/lib/cni',
    'pause-image=/c/images/pause/image.tar',
    'pause-name=localhost/kmesos/pause:1',
    'command-image=/c/images/busybox/image.tar',
    'command-name=docker.io/library/busybox:1.37',
  ].join('\n');

  it('reads each part of build-realnode.sh output', () => {
    expect(parseParts(`${output}\n`)).toEqual({
      kubelet: '/c/bin/kubelet-v1',
      containerd: '/c/bin/containerd-v2',
      runc: '/usr/sbin/runc',
      cni: '/usr/lib/cni',
      'pause-image': '/c/images/pause/image.tar',
      'pause-name': 'localhost/kmesos/pause:1',
      'command-image': '/c/images/busybox/image.tar',
      'command-name': 'docker.io/library/busybox:1.37',
    });
  });

  it('names the parts missing from the output', () => {
    const partial = output
      .split('\n')
      .filter((l) => !l.startsWith('runc=') && !l.startsWith('cni='))
      .join('\n');
    expect(() => parseParts(partial)).toThrow(/printed no runc, cni/);
  });
});

describe('connectTarget', () => {
  it.each([
    ['CONNECT 10.250.0.2:10250 HTTP/1.1\r\nHost: 10.250.0.2:10250\r\n\r\n', '10.250.0.2:10250'],
    ['CONNECT real-0:10250 HTTP/1.0\r\n\r\n', 'real-0:10250'],
    ['GET / HTTP/1.1\r\n\r\n', undefined],
    ['CONNECT 10.250.0.2 HTTP/1.1\r\n\r\n', undefined],
    ['CONNECT ../x:1 HTTP/1.1\r\n\r\n', undefined],
  ])('reads the target of %j', (head, target) => {
    expect(connectTarget(head)).toBe(target);
  });
});

describe('registryKeys', () => {
  it.each([
    ['10.250.0.4:10250', ['10.250.0.4', '10.250.0']],
    ['10.251.3.7:8080', ['10.251.3.7', '10.251.3']],
    ['real-0:10250', []],
    ['[::1]:8080', []],
  ])('names where %s may be registered', (target, keys) => {
    expect(registryKeys(target)).toEqual(keys);
  });
});
