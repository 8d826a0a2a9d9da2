import type { MesosCodec } from '../mesos/codec.js';
import type { MediaType } from '../mesos/media-type.js';
import { encodeRecord } from '../mesos/recordio.js';
import type { Event } from '../mesos/types/scheduler.js';
import type { FrameworkInfo } from '../mesos/types/v1.js';

function capabilitiesOf(info: FrameworkInfo): ReadonlySet<string> {
  return new Set((info.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'));
}

/** Where a subscription's events go: the SUBSCRIBE response, one RecordIO record per write. */
export interface EventSink {
  /** Sends the response's head, naming the stream. */
  begin(streamId: string): void;
  write(record: Buffer): void;
  end(): void;
}

/** One connected scheduler: its stream, its framework and what it asked of offers. */
export class Session {
  private open = true;
  /** SUPPRESS without roles (or naming the framework's role) until REVIVE. */
  suppressed = false;
  private current: FrameworkInfo;
  private caps: ReadonlySet<string>;

  constructor(
    readonly streamId: string,
    /** Who subscribed: later calls on the stream must come from the same principal. */
    readonly principal: string,
    readonly frameworkKey: string,
    readonly frameworkId: string,
    info: FrameworkInfo,
    private readonly mediaType: MediaType,
    private readonly sink: EventSink,
    private readonly codec: MesosCodec,
  ) {
    this.current = info;
    this.caps = capabilitiesOf(info);
  }

  get info(): FrameworkInfo {
    return this.current;
  }

  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }

  /** UPDATE_FRAMEWORK: the FrameworkInfo the scheduler now runs with. */
  update(info: FrameworkInfo): void {
    this.current = info;
    this.caps = capabilitiesOf(info);
  }

  /** Starts the stream: the response's head goes out before the first event. */
  begin(): void {
    this.sink.begin(this.streamId);
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(event: Event): void {
    if (!this.open) return;
    this.sink.write(encodeRecord(this.codec.encodeEvent(event, this.mediaType)));
  }

  /** Ends the stream, after an ERROR event when there is a reason to tell. */
  close(error?: string): void {
    if (!this.open) return;
    if (error !== undefined) this.send({ type: 'ERROR', error: { message: error } });
    this.open = false;
    this.sink.end();
  }

  /** The peer went away: nothing more can be written. */
  disconnected(): void {
    this.open = false;
  }
}
