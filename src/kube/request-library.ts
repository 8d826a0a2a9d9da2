import { Readable } from 'node:stream';
import {
  IsomorphicFetchHttpLibrary,
  Observable,
  ResponseContext,
  type HttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;
type Headers = Awaited<ReturnType<Dispatcher['request']>>['headers'];

function flatHeaders(raw: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Sends client-node's requests with undici's `request` on the dispatcher the KubeConfig gave the
 * request (its connection pool, TLS and proxy), instead of undici's `fetch`. fetch builds WHATWG
 * Headers, Request and stream objects for every call, and asks for gzip: together about a tenth
 * of kmesos' CPU while it launched a burst of pods, for exchanges whose JSON kmesos reads whole.
 * A request without a dispatcher, or with a body that is not text or bytes, goes through fetch.
 */
export class DispatcherHttpLibrary implements HttpLibrary {
  private readonly fetchLibrary = new IsomorphicFetchHttpLibrary();

  send(request: RequestContext): Observable<ResponseContext> {
    const dispatcher = request.getDispatcher();
    const body = request.getBody();
    const plain = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    if (!dispatcher || !plain) return this.fetchLibrary.send(request);
    const url = new URL(request.getUrl());
    const signal = request.getSignal();
    const response = dispatcher
      .request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.getHttpMethod(),
        headers: request.getHeaders(),
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      })
      .then(
        (res) =>
          new ResponseContext(res.statusCode, flatHeaders(res.headers), {
            text: () => res.body.text(),
            binary: async () => Buffer.from(await res.body.arrayBuffer()),
            stream: () => Readable.toWeb(res.body) as ReadableStream<Uint8Array>,
          }),
      );
    return new Observable(response);
  }
}
