/**
 * The operator API's SUBSCRIBE streams. Each is a 200 response kept open, chunked, one RecordIO
 * record per chunk written at once (as the scheduler API streams): SUBSCRIBED with the whole
 * state, a HEARTBEAT at once (as Mesos' heartbeater) and then every `heartbeatSeconds`, and
 * between them the events that tell what changed.
 *
 * Changes are found by comparing models: every `pollMs`, while anyone is subscribed, the hub
 * builds the model once and sends each subscriber the events between the model it last saw and
 * this one (events.ts; subscribers that saw the same model share one comparison). Comparing
 * models rather than hooking each writer means an event is sent whatever made the change (a
 * watch event, a cycle's status decision, another replica's write), a subscriber can never miss
 * one between two looks, and the stream agrees with GET_STATE. Timers come from the injected
 * clock and stop when the last subscriber goes away.
 */
import type { Request, Response } from 'express';
import type { MesosCodec } from '../scheduler/mesos/codec.js';
import type { MediaType } from '../scheduler/mesos/media-type.js';
import { encodeRecord } from '../scheduler/mesos/recordio.js';
import { writeChunk } from '../server/chunk.js';
import type { Event } from '../scheduler/mesos/types/master.js';
import type { Clock, Timer } from '../util/clock.js';
import { modelEvents, subscribedEvent } from './events.js';
import type { MasterInputs } from './inputs.js';
import { buildModel, type MasterModel } from './model.js';

export interface SubscriptionOptions {
  readonly clock: Clock;
  readonly codec: MesosCodec;
  readonly heartbeatSeconds: number;
  /** How often the model is compared with the last one sent. */
  readonly pollMs: number;
}

interface Subscriber {
  /** The model whose events this subscriber has been sent. */
  last: MasterModel;
  readonly inputs: () => MasterInputs | undefined;
  send(event: Event): void;
}

export class SubscriptionHub {
  private readonly subscribers = new Set<Subscriber>();
  private poll: Timer | undefined;

  constructor(private readonly options: SubscriptionOptions) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts a stream on the response: `first` is what SUBSCRIBED shows, `inputs` what the caches hold later. */
  serve(
    req: Request,
    res: Response,
    mediaType: MediaType,
    inputs: () => MasterInputs | undefined,
    first: MasterInputs,
  ): void {
    const { clock, codec } = this.options;
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.status(200);
    // Exactly the media type, as Mesos answers: express' type() would add a charset.
    res.setHeader('Content-Type', mediaType);
    res.setHeader('Cache-Control', 'no-cache');
    res.flushHeaders();
    const subscriber: Subscriber = {
      last: buildModel(first),
      inputs,
      send: (event) => {
        if (!res.destroyed) writeChunk(res, encodeRecord(codec.encodeMasterEvent(event, mediaType)));
      },
    };
    subscriber.send(subscribedEvent(subscriber.last, this.options.heartbeatSeconds));
    subscriber.send({ type: 'HEARTBEAT' });
    const heartbeat = clock.every(this.options.heartbeatSeconds * 1000, () =>
      subscriber.send({ type: 'HEARTBEAT' }),
    );
    this.subscribers.add(subscriber);
    this.poll ??= clock.every(this.options.pollMs, () => this.tick());
    res.on('close', () => {
      heartbeat.cancel();
      this.subscribers.delete(subscriber);
      if (this.subscribers.size > 0) return;
      this.poll?.cancel();
      this.poll = undefined;
    });
  }

  /** One look: the model once, the events once per model a subscriber last saw. */
  private tick(): void {
    const [any] = this.subscribers;
    const now = any?.inputs();
    if (!now) return;
    const next = buildModel(now);
    const events = new Map<MasterModel, Event[]>();
    for (const s of this.subscribers) {
      const list = events.get(s.last) ?? modelEvents(s.last, next);
      events.set(s.last, list);
      for (const e of list) s.send(e);
      s.last = next;
    }
  }
}
