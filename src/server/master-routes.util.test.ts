import { parseHostPort } from './master-routes.util.js';

describe('parseHostPort', () => {
  it.each<[string | undefined, ReturnType<typeof parseHostPort>]>([
    ['10.0.0.7:8080', { hostname: '10.0.0.7', port: 8080 }],
    ['kmesos-0.kmesos:8080', { hostname: 'kmesos-0.kmesos', port: 8080 }],
    // An IPv6 host keeps its colons: the port is after the last one.
    ['fd00::7:8080', { hostname: 'fd00::7', port: 8080 }],
    ['no-port', undefined],
    [':8080', undefined],
    ['host:0', undefined],
    ['host:x', undefined],
    [undefined, undefined],
  ])('%s', (address, want) => {
    expect(parseHostPort(address)).toEqual(want);
  });
});
