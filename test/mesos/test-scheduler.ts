/**
 * A framework scheduler for tests: subscribes over a raw stream, checks the SUBSCRIBE
 * response as Mesos' scheduler-http-api.md states it, keeps every event, and sends Calls
 * on separate connections with the stream's Mesos-Stream-Id. Violations are collected,
 * not thrown, so a test asserts on all of them at once.
 */
import type { MediaType, MesosCodec, scheduler, v1 } from '../../src/scheduler/mesos/index.js';
import { systemClock, type Clock } from '../../src/util/clock.js';
import { openStream, rawRequest, type RawResponse, type RawStream, type StreamEnd } from './raw-http.js';
import { subscribeHeaderProblems } from './subscribe-checks.js';
import {
  acceptCall,
  acknowledgeCall,
  declineCall,
  killCall,
  reconcileCall,
  reviveCall,
  subscribeCall,
  suppressCall,
  teardownCall,
} from './scheduler-calls.js';

type Event = scheduler.Event;

/**
 * An event of type T, with the body the type names (`OFFERS` → `offers`) present: the
 * codec refuses an event without it.
 */
export type EventOf<T extends scheduler.Event_Type> = Event & { readonly type: T } & {
  [K in Lowercase<T> & keyof Event]-?: NonNullable<Event[K]>;
};

export interface MesosTestSchedulerOptions {
  readonly codec: MesosCodec;
  readonly clock?: Clock;
  /** Default wait for nextEvent and for each HTTP exchange. */
  readonly timeoutMs?: number;
  /** The scheduler endpoint; /api/v1/scheduler unless given. */
  readonly path?: string;
}

export interface SubscribeOptions {
  readonly mediaType: MediaType;
  /** Resubscribe as this framework (failover). */
  readonly frameworkId?: v1.FrameworkID;
  /** Sent with SUBSCRIBE and with every call after it (Authorization, …). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly suppressedRoles?: readonly string[];
}

interface Session {
  readonly url: string;
  readonly mediaType: MediaType;
  readonly headers: Readonly<Record<string, string>>;
  readonly stream: RawStream;
  readonly streamId: string | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** One subscription per instance; to fail over, subscribe a new one with the framework ID. */
export class MesosTestScheduler {
  /** Every event decoded so far, in order. */
  readonly events: Event[] = [];
  private readonly codec: MesosCodec;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly path: string;
  /** Problems with the SUBSCRIBE response and with records that are no Event. */
  private readonly problems: string[] = [];
  /** Per event type, the index after the last event nextEvent returned. */
  private readonly cursors = new Map<string, number>();
  /** nextEvent calls waiting for an event or the end of the stream. */
  private readonly waiters = new Set<() => void>();
  private session: Session | undefined;
  /** Set as subscribe() starts, so a second call fails even before the first has a session. */
  private subscribed = false;
  private givenFrameworkId: v1.FrameworkID | undefined;
  /** Settles once the stream has ended and every record in it is decoded. */
  private consumed: Promise<void> | undefined;
  private drained = false;

  constructor(options: MesosTestSchedulerOptions) {
    this.codec = options.codec;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.path = options.path ?? '/api/v1/scheduler';
  }

  /** SUBSCRIBE response problems, stream rule violations and undecodable records. */
  get violations(): string[] {
    return [...this.problems, ...(this.session?.stream.violations ?? [])];
  }

  get stream(): RawStream {
    return this.requireSession().stream;
  }

  get streamId(): string | undefined {
    return this.session?.streamId;
  }

  /** From the SUBSCRIBED event, or the one subscribe() was given until it arrives. */
  get frameworkId(): v1.FrameworkID | undefined {
    return this.events.find((event) => event.subscribed)?.subscribed?.framework_id ?? this.givenFrameworkId;
  }

  /**
   * Sends SUBSCRIBE and resolves once the response head is in and checked. A status other
   * than 200 is thrown, with the response body; header problems join `violations`.
   */
  async subscribe(
    url: string,
    frameworkInfo: v1.FrameworkInfo,
    options: SubscribeOptions,
  ): Promise<RawStream> {
    if (this.subscribed) throw new Error('this scheduler has subscribed already');
    this.subscribed = true;
    const { mediaType, frameworkId } = options;
    const headers = { ...options.headers };
    const stream = await openStream(url, {
      path: this.path,
      headers: { 'Content-Type': mediaType, Accept: mediaType, ...headers },
      body: this.codec.encodeCall(
        subscribeCall(frameworkInfo, frameworkId, options.suppressedRoles),
        mediaType,
      ),
      mediaType,
      clock: this.clock,
      timeoutMs: this.timeoutMs,
    });
    if (stream.status !== 200) {
      await within(stream.ended, this.timeoutMs, this.clock, 'the refusal body').catch(() => stream.close());
      throw new Error(`SUBSCRIBE answered ${stream.status}: ${stream.body.toString('utf8')}`);
    }
    this.problems.push(...subscribeHeaderProblems(stream.headers, mediaType));
    this.givenFrameworkId = frameworkId;
    this.session = { url, mediaType, headers, stream, streamId: stream.headers['mesos-stream-id']?.[0] };
    this.consumed = this.consume(stream, mediaType);
    return stream;
  }

  /** How the stream ended, once it has and every event in it is in `events`. */
  async ended(): Promise<StreamEnd> {
    const { stream } = this.requireSession();
    await this.consumed;
    return stream.endedBy ?? (await stream.ended);
  }

  /**
   * The next event of `type` after the last one this returned for that type — including
   * one that arrived before the call. Other events stay in `events`.
   */
  async nextEvent<T extends scheduler.Event_Type>(type: T, timeoutMs = this.timeoutMs): Promise<EventOf<T>> {
    const { stream } = this.requireSession();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const event = this.take(type);
        if (event !== undefined) {
          stop();
          resolve(event);
        } else if (this.drained) {
          stop();
          reject(
            new Error(`the stream ended (${stream.endedBy?.by}) before a ${type} event; saw ${this.seen()}`),
          );
        }
      };
      const timer = this.clock.after(timeoutMs, () => {
        stop();
        reject(new Error(`no ${type} event within ${timeoutMs} ms; saw ${this.seen()}`));
      });
      const stop = (): void => {
        timer.cancel();
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** POSTs a Call on a new connection, in the subscription's media type and with its stream ID. */
  call(call: scheduler.Call): Promise<RawResponse> {
    const { url, mediaType, headers, streamId } = this.requireSession();
    return rawRequest(url, {
      path: this.path,
      headers: {
        'Content-Type': mediaType,
        Accept: mediaType,
        ...(streamId === undefined ? {} : { 'Mesos-Stream-Id': streamId }),
        ...headers,
      },
      body: this.codec.encodeCall(call, mediaType),
      clock: this.clock,
      timeoutMs: this.timeoutMs,
    });
  }

  async accept(
    offerIds: readonly v1.OfferID[],
    operations: readonly v1.Offer_Operation[],
    filters?: v1.Filters,
  ): Promise<RawResponse> {
    return this.call(acceptCall(this.requireFrameworkId(), offerIds, operations, filters));
  }

  async decline(offerIds: readonly v1.OfferID[], filters?: v1.Filters): Promise<RawResponse> {
    return this.call(declineCall(this.requireFrameworkId(), offerIds, filters));
  }

  async acknowledge(update: scheduler.Event_Update): Promise<RawResponse> {
    return this.call(acknowledgeCall(this.requireFrameworkId(), update));
  }

  async reconcile(tasks?: readonly scheduler.Call_Reconcile_Task[]): Promise<RawResponse> {
    return this.call(reconcileCall(this.requireFrameworkId(), tasks));
  }

  async kill(taskId: v1.TaskID, agentId?: v1.AgentID, killPolicy?: v1.KillPolicy): Promise<RawResponse> {
    return this.call(killCall(this.requireFrameworkId(), taskId, agentId, killPolicy));
  }

  async revive(roles?: readonly string[]): Promise<RawResponse> {
    return this.call(reviveCall(this.requireFrameworkId(), roles));
  }

  async suppress(roles?: readonly string[]): Promise<RawResponse> {
    return this.call(suppressCall(this.requireFrameworkId(), roles));
  }

  async teardown(): Promise<RawResponse> {
    return this.call(teardownCall(this.requireFrameworkId()));
  }

  /** Drops the subscription's connection, as a scheduler that crashed would. */
  close(): void {
    this.session?.stream.close();
  }

  private async consume(stream: RawStream, mediaType: MediaType): Promise<void> {
    let index = 0;
    for await (const chunk of stream) {
      for (const record of chunk.records) this.decode(record, ++index, mediaType);
    }
    this.drained = true;
    this.wake();
  }

  private decode(record: Buffer, index: number, mediaType: MediaType): void {
    const decoded = this.codec.decodeEvent(record, mediaType);
    if (!decoded.ok) {
      this.problems.push(`record ${index}: not a scheduler Event: ${decoded.error.message}`);
      return;
    }
    this.events.push(decoded.value);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private take<T extends scheduler.Event_Type>(type: T): EventOf<T> | undefined {
    const from = this.cursors.get(type) ?? 0;
    const index = this.events.findIndex((event, i) => i >= from && event.type === type);
    if (index < 0) return undefined;
    this.cursors.set(type, index + 1);
    return this.events[index] as EventOf<T>;
  }

  /** The event types seen, runs folded: `SUBSCRIBED, HEARTBEAT ×3, OFFERS`. */
  private seen(): string {
    const runs: { type: string; count: number }[] = [];
    for (const { type = 'UNKNOWN' } of this.events) {
      const last = runs[runs.length - 1];
      if (last?.type === type) last.count++;
      else runs.push({ type, count: 1 });
    }
    return runs.map(({ type, count }) => (count > 1 ? `${type} ×${count}` : type)).join(', ') || 'no events';
  }

  private requireSession(): Session {
    if (this.session === undefined) throw new Error('not subscribed: call subscribe() first');
    return this.session;
  }

  private requireFrameworkId(): v1.FrameworkID {
    const id = this.frameworkId;
    if (id === undefined) throw new Error('no framework ID yet: wait for the SUBSCRIBED event');
    return id;
  }
}

/** `promise`, or a rejection naming `what` once `ms` pass on `clock`. */
function within<T>(promise: Promise<T>, ms: number, clock: Clock, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = clock.after(ms, () => reject(new Error(`no ${what} within ${ms} ms`)));
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
