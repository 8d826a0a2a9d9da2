/**
 * Server-sent events read with fetch rather than EventSource, so that a request can carry an
 * Authorization header (EventSource cannot). parseSse is the pure half.
 */

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Complete events in `buffer`, and the unfinished rest to keep for the next chunk. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export type StreamState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'denied'; readonly status: number; readonly message: string }
  | { readonly kind: 'retrying'; readonly message: string };

export interface StreamOptions {
  readonly url: string;
  readonly headers: () => Record<string, string>;
  readonly onEvent: (e: SseEvent) => void;
  readonly onState: (s: StreamState) => void;
  readonly retryMs: number;
}

/** Reads the stream until aborted, reconnecting after a failure; a 401/403 stops until the caller retries. */
export function openStream(options: StreamOptions): () => void {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = async (): Promise<void> => {
    options.onState({ kind: 'connecting' });
    try {
      const res = await fetch(options.url, {
        headers: options.headers(),
        signal: abort.signal,
        cache: 'no-store',
      });
      if (res.status === 401 || res.status === 403) {
        options.onState({ kind: 'denied', status: res.status, message: (await res.text()).trim() });
        return;
      }
      if (!res.ok || !res.body) throw new Error(`${res.status} ${(await res.text()).trim()}`);
      options.onState({ kind: 'live' });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        for (const e of parsed.events) options.onEvent(e);
      }
    } catch (err) {
      if (abort.signal.aborted) return;
      options.onState({ kind: 'retrying', message: err instanceof Error ? err.message : String(err) });
      timer = setTimeout(() => void connect(), options.retryMs);
    }
  };
  void connect();
  return () => {
    abort.abort();
    if (timer !== undefined) clearTimeout(timer);
  };
}
