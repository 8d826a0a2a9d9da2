import {
  Observable,
  RequestContext,
  ResponseContext,
  SelfDecodingBody,
  type HttpLibrary,
} from '@kubernetes/client-node';
import {
  instrumentCall,
  instrumentHttpLibrary,
  NO_RESPONSE,
  type ApiRequestCounter,
} from './kube-requests.js';

function recorder(): ApiRequestCounter & { calls: Array<[string, string, string]> } {
  const calls: Array<[string, string, string]> = [];
  return { calls, countApiRequest: (verb, resource, code) => calls.push([verb, resource, String(code)]) };
}

function fakeLibrary(respond: (req: RequestContext) => Promise<ResponseContext>): HttpLibrary {
  return { send: (req) => new Observable(respond(req)) };
}

const url = 'https://127.0.0.1:6443/api/v1/namespaces/a/pods';

describe('instrumentHttpLibrary', () => {
  it('counts a response by verb, resource and status', async () => {
    const counter = recorder();
    const lib = instrumentHttpLibrary(
      fakeLibrary(() =>
        Promise.resolve(new ResponseContext(409, {}, new SelfDecodingBody(Promise.resolve(Buffer.alloc(0))))),
      ),
      counter,
    );
    const res = await lib.send(new RequestContext(url, 'POST')).toPromise();
    expect(res.httpStatusCode).toBe(409);
    expect(counter.calls).toEqual([['create', 'pods', '409']]);
  });

  it('counts a request that got no response and passes the error on', async () => {
    const counter = recorder();
    const lib = instrumentHttpLibrary(
      fakeLibrary(() => Promise.reject(new Error('ECONNREFUSED'))),
      counter,
    );
    await expect(lib.send(new RequestContext(url, 'GET')).toPromise()).rejects.toThrow('ECONNREFUSED');
    expect(counter.calls).toEqual([['list', 'pods', NO_RESPONSE]]);
  });
});

describe('instrumentCall', () => {
  it.each([
    ['success', () => Promise.resolve('ok'), '200'],
    [
      'an error with an HTTP code',
      () => Promise.reject(Object.assign(new Error('gone'), { code: 410 })),
      '410',
    ],
    [
      'an error with a statusCode',
      () => Promise.reject(Object.assign(new Error('x'), { statusCode: 403 })),
      '403',
    ],
    ['an error without one', () => Promise.reject(new Error('reset')), NO_RESPONSE],
  ])('counts %s', async (_name, call, code) => {
    const counter = recorder();
    await instrumentCall(counter, 'watch', 'pods', call).catch(() => undefined);
    expect(counter.calls).toEqual([['watch', 'pods', code]]);
  });
});
