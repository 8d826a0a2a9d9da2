import {
  Observable,
  ServerConfiguration,
  createConfiguration,
  setHeaderMiddleware,
  type ApiConstructor,
  type ApiType,
  type HttpLibrary,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { DispatcherHttpLibrary } from '../kube/request-library.js';
import { classifyRequest } from './kube-requests.util.js';

/** What counting a request needs; KmesosMetrics provides it. */
export interface ApiRequestCounter {
  countApiRequest(verb: string, resource: string, code: number | string): void;
}

/** The code label of a request that got no HTTP response (connection refused, timeout, ...). */
export const NO_RESPONSE = 'error';

/**
 * Wraps client-node's HTTP library so every request is counted by verb, resource and
 * status code. A wrapper rather than a Middleware, because a middleware's `post` sees the
 * response without the request it answers.
 */
export function instrumentHttpLibrary(inner: HttpLibrary, counter: ApiRequestCounter): HttpLibrary {
  return {
    send(request: RequestContext): Observable<ResponseContext> {
      const { verb, resource } = classifyRequest(request.getHttpMethod(), request.getUrl());
      const response = inner
        .send(request)
        .toPromise()
        .then(
          (res) => {
            counter.countApiRequest(verb, resource, res.httpStatusCode);
            return res;
          },
          (err: unknown) => {
            counter.countApiRequest(verb, resource, NO_RESPONSE);
            throw err;
          },
        );
      return new Observable(response);
    },
  };
}

/**
 * Like `kc.makeApiClient(Api)`, with every request counted. `userAgent` names the operator
 * in the API server's audit log.
 */
export function makeInstrumentedApiClient<T extends ApiType>(
  kc: KubeConfig,
  apiClientType: ApiConstructor<T>,
  counter: ApiRequestCounter,
  userAgent: string,
): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    middleware: [setHeaderMiddleware('User-Agent', userAgent)],
    httpApi: instrumentHttpLibrary(new DispatcherHttpLibrary(), counter),
  });
  return new apiClientType(config);
}

/**
 * Counts a request made outside the generated clients (a Watch, say). The code is the
 * error's HTTP status when it carries one, `successCode` when `call` resolves.
 */
export async function instrumentCall<T>(
  counter: ApiRequestCounter,
  verb: string,
  resource: string,
  call: () => Promise<T>,
  successCode: number = 200,
): Promise<T> {
  try {
    const result = await call();
    counter.countApiRequest(verb, resource, successCode);
    return result;
  } catch (err) {
    counter.countApiRequest(verb, resource, statusOf(err) ?? NO_RESPONSE);
    throw err;
  }
}

/** client-node's ApiException has `code`; Watch errors and fetch responses have `statusCode` / `status`. */
function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  for (const key of ['code', 'statusCode', 'status']) {
    const value: unknown = (err as Record<string, unknown>)[key];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}
