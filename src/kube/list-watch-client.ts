import { HttpMethod, RequestContext, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { instrumentCall, type ApiRequestCounter } from '../metrics/kube-requests.js';
import { classifyRequest } from '../metrics/kube-requests.util.js';
import { LineBuffer } from './lines.js';

export type Query = Readonly<Record<string, string>>;

/** One page of a list: its items as the API server sent them (plain JSON, not client-node's models). */
export interface ListPage {
  items: KubernetesObject[];
  resourceVersion: string;
  /** The token of the next page; absent on the last. */
  continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A watch event; an ERROR's object is a Status. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubernetesObject & { code?: number; reason?: string; message?: string };
}

/** The list and watch requests a ListWatcher makes; an interface so its logic is tested without a server. */
export interface ListWatchClient {
  list(path: string, query: Query, signal: AbortSignal): Promise<ListPage>;
  /**
   * Streams the events of a watch to `onEvent` until the server ends it (resolves) or it fails
   * (rejects; also when `onEvent` throws, with what it threw).
   */
  watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
}

/** A list or watch the API server refused: its HTTP status (or a watch ERROR event's code) and message. */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
    readonly reason?: string,
  ) {
    super(code === undefined ? message : `${code}: ${message}`);
    this.name = 'ApiStatusError';
  }
}

/** 410 Gone: the resource version asked for is compacted away (or a continue token expired); list again. */
export function isGone(err: unknown): boolean {
  return (
    err instanceof ApiStatusError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone')
  );
}

type Body = Dispatcher.ResponseData['body'];

async function statusError(code: number, body: Body): Promise<ApiStatusError> {
  const text = await body.text();
  try {
    const status = JSON.parse(text) as { message?: string; reason?: string };
    return new ApiStatusError(code, status.message ?? text.slice(0, 500), status.reason);
  } catch {
    return new ApiStatusError(code, text.slice(0, 500));
  }
}

/**
 * Lists and watches with undici's `request` on the KubeConfig's dispatcher (its connection
 * pool, TLS and proxy) and reads a watch's body as lines of JSON. client-node's Watch goes
 * through fetch, web streams and readline, restarts a timer on every chunk, ignores events it
 * cannot parse, and its ListWatch lists through the generated models: together most of
 * kmesos' CPU outside its own logic while pods change fast.
 */
export class KubeListWatchClient implements ListWatchClient {
  constructor(
    private readonly kc: KubeConfig,
    private readonly counter?: ApiRequestCounter,
    private readonly userAgent = 'kmesos',
  ) {}

  async list(path: string, query: Query, signal: AbortSignal): Promise<ListPage> {
    const body = await this.get(path, query, signal);
    const list = (await body.json()) as {
      items?: KubernetesObject[] | null;
      metadata?: { resourceVersion?: string; continue?: string };
    };
    const next = list.metadata?.continue;
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion ?? '',
      ...(next ? { continue: next } : {}),
    };
  }

  async watch(
    path: string,
    query: Query,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const body = await this.get(path, { ...query, watch: 'true' }, signal);
    body.setEncoding('utf8');
    const lines = new LineBuffer();
    await new Promise<void>((resolve, reject) => {
      body.on('data', (chunk: string) => {
        try {
          lines.push(chunk, (line) => onEvent(JSON.parse(line) as WatchEvent));
        } catch (err) {
          body.destroy(err instanceof Error ? err : new Error(String(err)));
        }
      });
      body.on('end', () => {
        if (lines.pending.trim() === '') resolve();
        else reject(new Error(`watch of ${path} ended in the middle of an event`));
      });
      body.on('error', reject);
    });
  }

  /** Sends a GET with the KubeConfig's credentials; a response other than 200 is thrown as ApiStatusError. */
  private async get(path: string, query: Query, signal: AbortSignal): Promise<Body> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const context = new RequestContext(url.toString(), HttpMethod.GET);
    context.setHeaderParam('User-Agent', this.userAgent);
    context.setHeaderParam('Accept', 'application/json');
    await this.kc.applySecurityAuthentication(context);
    const send = async (): Promise<Body> => {
      const response = await (context.getDispatcher() ?? getGlobalDispatcher()).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: context.getHeaders(),
        signal,
      });
      if (response.statusCode !== 200) throw await statusError(response.statusCode, response.body);
      return response.body;
    };
    if (!this.counter) return send();
    const { verb, resource } = classifyRequest('GET', url.toString());
    return instrumentCall(this.counter, verb, resource, send);
  }
}
