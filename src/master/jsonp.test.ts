import { renderJson, type Rendered } from './jsonp.js';

describe('renderJson', () => {
  it.each<[string, unknown, Partial<Rendered>]>([
    [
      'plain JSON without a callback',
      undefined,
      { status: 200, contentType: 'application/json', body: '{"a":1}' },
    ],
    ['JSONP with a callback', 'cb', { status: 200, contentType: 'text/javascript', body: 'cb({"a":1});' }],
    ['a dotted callback', 'app.v2.receive', { status: 200, body: 'app.v2.receive({"a":1});' }],
    ['script in the callback is refused', 'alert(1)//', { status: 400, contentType: 'text/plain' }],
    ['an empty callback is refused', '', { status: 400 }],
    ['a callback given twice (an array) is refused', ['a', 'b'], { status: 400 }],
    ['an overlong callback is refused', 'a'.repeat(129), { status: 400 }],
  ])('%s', (_name, jsonp, want) => {
    expect(renderJson({ a: 1 }, jsonp)).toMatchObject(want);
  });
});
