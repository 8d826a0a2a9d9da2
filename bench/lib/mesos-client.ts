/**
 * A lean Mesos v1 scheduler for benchmarks that run a hundred of them in one process.
 * test/mesos' MesosTestScheduler checks every chunk of the stream, keeps every event and
 * opens a new connection per call — right for conformance tests, but here the client shares
 * two cores with the operator it measures. This one checks nothing and keeps nothing: each
 * SUBSCRIBE stream has its own connection (node:http), each scheduler's calls go over its own
 * few keep-alive connections, as a Mesos client library's persistent connection would (a pool
 * shared by all schedulers would queue one framework's REVIVE behind another's ACKs), and
 * every event, decoded by kmesos' own codec, goes to a callback with its arrival time.
 *
 *   const s = await BenchScheduler.subscribe({url, info, codec, callSockets?, suppressed?, onEvent, onCall?})
 *   s.frameworkId
 *   await s.decline(offerIds, refuseSeconds)  / accept(offerIds, operations, refuseSeconds)
 *   await s.acknowledge(update) / revive() / suppress()        each → the HTTP status
 *   s.ended; s.close()
 * The Calls are test/mesos/scheduler-calls.ts', so both clients send the same bytes.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import {
  RecordIODecoder,
  type MediaType,
  type MesosCodec,
  type scheduler,
  type v1,
} from '../../src/scheduler/mesos/index.js';
import {
  acceptCall,
  acknowledgeCall,
  declineCall,
  reviveCall,
  subscribeCall,
  suppressCall,
} from '../../test/mesos/scheduler-calls.js';

const PATH = '/api/v1/scheduler';
const STREAM_ID = 'mesos-stream-id';
/** Far above any event kmesos sends (an OFFERS event of every agent is well under this). */
const MAX_RECORD_BYTES = 64 * 2 ** 20;
const SUBSCRIBE_TIMEOUT_MS = 60_000;

export interface BenchSubscribe {
  /** The operator, e.g. http://127.0.0.1:8080. */
  url: string;
  info: v1.FrameworkInfo;
  codec: MesosCodec;
  /** Keep-alive connections of this scheduler's calls (2 unless given). */
  callSockets?: number;
  mediaType?: MediaType;
  /** Subscribe with the framework's role suppressed: no offers until REVIVE. */
  suppressed?: boolean;
  /**
   * Each event, with the local time its bytes arrived (performance.now()) and the scheduler it
   * came to: an event in the same chunk as SUBSCRIBED arrives before subscribe() resolves.
   */
  onEvent: (event: scheduler.Event, at: number, self: BenchScheduler) => void;
  /** Each call once answered: its type, status and milliseconds from sent to answered. */
  onCall?: (type: string, status: number, ms: number) => void;
}

export class BenchScheduler {
  private stream: IncomingMessage | undefined;
  private endedBy: string | undefined;
  private readonly agent: Agent;

  private constructor(
    private readonly o: BenchSubscribe,
    private readonly mediaType: MediaType,
    readonly frameworkId: v1.FrameworkID,
    private readonly streamId: string,
  ) {
    const sockets = o.callSockets ?? 2;
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  /** Sends SUBSCRIBE; resolves once the SUBSCRIBED event has arrived. */
  static subscribe(o: BenchSubscribe): Promise<BenchScheduler> {
    const mediaType = o.mediaType ?? 'application/json';
    const call = subscribeCall(
      o.info,
      undefined,
      o.suppressed ? [o.info.roles?.[0] ?? o.info.role ?? '*'] : undefined,
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SUBSCRIBED event in time')), SUBSCRIBE_TIMEOUT_MS);
      let self: BenchScheduler | undefined;
      const req = request(`${o.url}${PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': mediaType, Accept: mediaType },
        // Its own connection: the stream never ends while the scheduler lives.
        agent: new Agent({ keepAlive: false }),
      });
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          reject(new Error(`SUBSCRIBE answered ${res.statusCode ?? 0}`));
          res.resume();
          return;
        }
        const streamId = String(res.headers[STREAM_ID] ?? '');
        const decoder = new RecordIODecoder({ maxRecordBytes: MAX_RECORD_BYTES });
        res.on('data', (chunk: Buffer) => {
          const at = performance.now();
          const records = decoder.push(chunk);
          if (!records.ok) {
            res.destroy(new Error(records.error.message));
            return;
          }
          for (const record of records.value) {
            const event = o.codec.decodeEvent(record, mediaType);
            if (!event.ok) continue;
            if (event.value.type === 'SUBSCRIBED' && self === undefined) {
              self = new BenchScheduler(
                o,
                mediaType,
                event.value.subscribed?.framework_id ?? { value: '' },
                streamId,
              );
              self.stream = res;
              clearTimeout(timer);
              resolve(self);
            }
            if (self !== undefined) o.onEvent(event.value, at, self);
          }
        });
        res.on('end', () => self?.markEnded('server'));
        res.on('error', () => self?.markEnded('error'));
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(o.codec.encodeCall(call, mediaType));
    });
  }

  /** How the stream ended, if it has: `server`, `error` or `client`. */
  get ended(): string | undefined {
    return this.endedBy;
  }

  decline(offerIds: readonly v1.OfferID[], refuseSeconds: number): Promise<number> {
    return this.call(declineCall(this.frameworkId, offerIds, { refuse_seconds: refuseSeconds }));
  }

  accept(
    offerIds: readonly v1.OfferID[],
    operations: readonly v1.Offer_Operation[],
    refuseSeconds: number,
  ): Promise<number> {
    return this.call(acceptCall(this.frameworkId, offerIds, operations, { refuse_seconds: refuseSeconds }));
  }

  acknowledge(update: scheduler.Event_Update): Promise<number> {
    return this.call(acknowledgeCall(this.frameworkId, update));
  }

  revive(): Promise<number> {
    return this.call(reviveCall(this.frameworkId));
  }

  suppress(): Promise<number> {
    return this.call(suppressCall(this.frameworkId));
  }

  /** Drops the stream, as a scheduler that stops would. */
  close(): void {
    this.markEnded('client');
    this.stream?.destroy();
    this.agent.destroy();
  }

  /** POSTs a Call on this scheduler's connections; resolves with the status (0 if the request failed). */
  private call(call: scheduler.Call): Promise<number> {
    const sent = performance.now();
    return new Promise((resolve) => {
      const req = request(`${this.o.url}${PATH}`, {
        method: 'POST',
        agent: this.agent,
        headers: { 'Content-Type': this.mediaType, Accept: this.mediaType, 'Mesos-Stream-Id': this.streamId },
      });
      const done = (status: number): void => {
        this.o.onCall?.(call.type ?? 'UNKNOWN', status, performance.now() - sent);
        resolve(status);
      };
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      });
      req.on('error', () => done(0));
      req.end(this.o.codec.encodeCall(call, this.mediaType));
    });
  }

  private markEnded(by: string): void {
    this.endedBy ??= by;
  }
}
