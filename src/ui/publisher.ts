/**
 * Live views for the web UI's clients: while at least one client listens, the cluster's view
 * is rebuilt once per interval from fresh MasterInputs, and each client is sent its own
 * (filtered) view when it differs from the last one it was sent. One rebuild serves every
 * client; with none listening nothing runs.
 */
import type { MasterInputs } from '../master/inputs.js';
import type { Clock, Timer } from '../util/clock.js';
import { DEFAULT_LIMITS, uiBase, uiView, type UiBase, type UiLimits } from './view.js';
import type { UiTaskFilter, UiView } from './wire.js';

export interface ViewPublisherOptions {
  /** The inputs now; undefined while the caches have not synced (nothing is sent then). */
  readonly inputs: () => MasterInputs | undefined;
  readonly clock: Clock;
  /** At most one view per client per interval. */
  readonly intervalMs: number;
  readonly limits?: UiLimits;
}

interface Client {
  readonly filter: UiTaskFilter;
  readonly send: (view: UiView) => void;
  /** Ends the client's stream (the publisher is closing). */
  readonly end: () => void;
  /** The last view sent, as JSON without its time: what "changed" compares. */
  last: string | undefined;
}

/** A view's content apart from when it was built. */
function fingerprint(view: UiView): string {
  return JSON.stringify({ ...view, at: 0 });
}

export class ViewPublisher {
  private readonly clients = new Set<Client>();
  private timer: Timer | undefined;
  private closed = false;

  constructor(private readonly options: ViewPublisherOptions) {}

  get listeners(): number {
    return this.clients.size;
  }

  /** One view now (for a plain GET), or undefined before the caches have synced. */
  current(filter: UiTaskFilter): UiView | undefined {
    const base = this.base();
    return base ? uiView(base, filter, this.limits()) : undefined;
  }

  /**
   * Sends the view at once (when there is one) and on every change, until the returned
   * unsubscribe is called or the publisher closes (then `end` is called).
   */
  subscribe(filter: UiTaskFilter, send: (view: UiView) => void, end: () => void): () => void {
    if (this.closed) {
      end();
      return () => undefined;
    }
    const client: Client = { filter, send, end, last: undefined };
    this.clients.add(client);
    const base = this.base();
    if (base) this.offer(client, base);
    this.timer ??= this.options.clock.every(this.options.intervalMs, () => this.tick());
    return () => {
      this.clients.delete(client);
      if (this.clients.size === 0) {
        this.timer?.cancel();
        this.timer = undefined;
      }
    };
  }

  /**
   * Ends every stream and takes no more: at shutdown, so the HTTP server can drain (a stream
   * would otherwise hold its connection open until the drain timeout cuts it).
   */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    const clients = [...this.clients];
    this.clients.clear();
    for (const c of clients) c.end();
  }

  private limits(): UiLimits {
    return this.options.limits ?? DEFAULT_LIMITS;
  }

  private base(): UiBase | undefined {
    const inputs = this.options.inputs();
    return inputs ? uiBase(inputs) : undefined;
  }

  private tick(): void {
    const base = this.base();
    if (!base) return;
    for (const client of this.clients) this.offer(client, base);
  }

  private offer(client: Client, base: UiBase): void {
    const view = uiView(base, client.filter, this.limits());
    const print = fingerprint(view);
    if (print === client.last) return;
    client.last = print;
    client.send(view);
  }
}
