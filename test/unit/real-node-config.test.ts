import { parseParts } from '../../dev/real-node.js';
import { parseEndpoint } from '../../dev/relay.js';

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
