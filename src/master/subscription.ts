/**
 * One SUBSCRIBE stream of the operator API: a 200 response kept open, chunked, one RecordIO
 * record per chunk written at once (as the scheduler API streams). SUBSCRIBED carries the
 * whole state, and a HEARTBEAT follows at once; then, every `pollMs`, the model is built again and compared with the one the
 * subscriber last saw, and the differences go out as events (events.ts); HEARTBEAT every
 * `heartbeatSeconds`. Comparing models rather than hooking each writer means an event is sent
 * whatever made the change (a watch event, a cycle's status decision, another replica's write),
 * and a subscriber can never miss one between two looks. Timers come from the injected clock
 * and stop when the client goes away.
 */
import type { Request, Response } from 'express';
import type { MesosCodec } from '../scheduler/mesos/codec.js';
import type { MediaType } from '../scheduler/mesos/media-type.js';
import { encodeRecord } from '../scheduler/mesos/recordio.js';
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

export function serveSubscription(
  options: SubscriptionOptions,
  req: Request,
  res: Response,
  mediaType: MediaType,
  inputs: () => MasterInputs | undefined,
  first: MasterInputs,
): void {
  const { clock, codec } = options;
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
  res.status(200);
  // Exactly the media type, as Mesos answers: express' type() would add a charset.
  res.setHeader('Content-Type', mediaType);
  res.setHeader('Cache-Control', 'no-cache');
  res.flushHeaders();
  const timers: Timer[] = [];
  const stop = (): void => {
    for (const t of timers) t.cancel();
    timers.length = 0;
  };
  const send = (event: Event): void => {
    if (res.writableEnded || res.destroyed) {
      stop();
      return;
    }
    res.write(encodeRecord(codec.encodeMasterEvent(event, mediaType)));
  };
  let last: MasterModel = buildModel(first);
  send(subscribedEvent(last, options.heartbeatSeconds));
  // As Mesos' heartbeater: one at once, then every interval.
  send({ type: 'HEARTBEAT' });
  timers.push(
    clock.every(options.pollMs, () => {
      const now = inputs();
      if (!now) return;
      const next = buildModel(now);
      for (const event of modelEvents(last, next)) send(event);
      last = next;
    }),
    clock.every(options.heartbeatSeconds * 1000, () => send({ type: 'HEARTBEAT' })),
  );
  res.on('close', stop);
}
