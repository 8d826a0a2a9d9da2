/**
 * A custom executor for tests, standing in for the process a kubelet would start in the
 * executor's pod: it takes the environment a Mesos agent gives executors (read from the pod
 * spec), subscribes to the v1 Executor HTTP API over a raw stream at MESOS_AGENT_ENDPOINT with
 * the pod's token, keeps every event, and sends UPDATE and MESSAGE calls on new connections.
 */
import { randomBytes } from 'node:crypto';
import type { MediaType, MesosCodec, executor, v1 } from '../../src/scheduler/mesos/index.js';
import { systemClock } from '../../src/util/clock.js';
import { openStream, rawRequest, type RawResponse, type RawStream } from './raw-http.js';

type Event = executor.Event;
export type ExecutorEventOf<T extends executor.Event_Type> = Event & { readonly type: T } & {
  [K in Lowercase<T> & keyof Event]-?: NonNullable<Event[K]>;
};

const PATH = '/api/v1/executor';

export class MesosTestExecutor {
  readonly events: Event[] = [];
  readonly problems: string[] = [];
  private stream: RawStream | undefined;
  /** Per event type, the index after the last event nextEvent returned. */
  private readonly cursors = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  /** `env`: the executor container's environment, as the pod spec has it. */
  constructor(
    private readonly env: Readonly<Record<string, string>>,
    private readonly codec: MesosCodec,
    private readonly mediaType: MediaType,
    private readonly timeoutMs = 30_000,
  ) {}

  private get url(): string {
    return `http://${this.required('MESOS_AGENT_ENDPOINT')}`;
  }

  private required(name: string): string {
    const value = this.env[name];
    if (value === undefined || value === '') throw new Error(`the executor's environment has no ${name}`);
    return value;
  }

  private ids(): Pick<executor.Call, 'framework_id' | 'executor_id'> {
    return {
      framework_id: { value: this.required('MESOS_FRAMEWORK_ID') },
      executor_id: { value: this.required('MESOS_EXECUTOR_ID') },
    };
  }

  private headers(token?: string): Record<string, string> {
    return {
      'Content-Type': this.mediaType,
      Accept: this.mediaType,
      Authorization: `Bearer ${token ?? this.required('MESOS_EXECUTOR_AUTHENTICATION_TOKEN')}`,
    };
  }

  /** SUBSCRIBE; resolves once the stream's head is in. A status other than 200 is thrown. */
  async subscribe(unacknowledgedTasks: readonly v1.TaskInfo[] = []): Promise<void> {
    const stream = await openStream(this.url, {
      path: PATH,
      headers: this.headers(),
      body: this.codec.encodeExecutorCall(
        { ...this.ids(), type: 'SUBSCRIBE', subscribe: { unacknowledged_tasks: [...unacknowledgedTasks] } },
        this.mediaType,
      ),
      mediaType: this.mediaType,
      clock: systemClock,
      timeoutMs: this.timeoutMs,
    });
    if (stream.status !== 200) {
      stream.close();
      throw new Error(`SUBSCRIBE answered ${stream.status}: ${stream.body.toString('utf8')}`);
    }
    if (stream.headers['content-type']?.join(',') !== this.mediaType)
      this.problems.push(`Content-Type is ${stream.headers['content-type']?.join(',') ?? 'absent'}`);
    this.stream = stream;
    void this.consume(stream);
  }

  private async consume(stream: RawStream): Promise<void> {
    for await (const chunk of stream) {
      for (const record of chunk.records) {
        const decoded = this.codec.decodeExecutorEvent(record, this.mediaType);
        if (!decoded.ok) {
          this.problems.push(`not an executor Event: ${decoded.error.message}`);
          continue;
        }
        this.events.push(decoded.value);
        for (const wake of [...this.waiters]) wake();
      }
    }
  }

  /** The next event of `type` after the last one this returned for that type (others stay in `events`). */
  nextEvent<T extends executor.Event_Type>(type: T): Promise<ExecutorEventOf<T>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const from = this.cursors.get(type) ?? 0;
        const index = this.events.findIndex((e, i) => i >= from && e.type === type);
        if (index < 0) return;
        this.cursors.set(type, index + 1);
        stop();
        resolve(this.events[index] as ExecutorEventOf<T>);
      };
      const timer = systemClock.after(this.timeoutMs, () => {
        stop();
        reject(
          new Error(
            `no ${type} event within ${this.timeoutMs} ms; saw ${this.events.map((e) => e.type).join(', ')}`,
          ),
        );
      });
      const stop = (): void => {
        timer.cancel();
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  call(call: executor.Call, token?: string): Promise<RawResponse> {
    return rawRequest(this.url, {
      path: PATH,
      headers: this.headers(token),
      body: this.codec.encodeExecutorCall(call, this.mediaType),
      clock: systemClock,
      timeoutMs: this.timeoutMs,
    });
  }

  /** UPDATE with a fresh uuid, as an executor driver sends it; returns the response and the uuid. */
  async update(
    status: Omit<v1.TaskStatus, 'uuid' | 'source'>,
  ): Promise<{ response: RawResponse; uuid: Uint8Array }> {
    const uuid = new Uint8Array(randomBytes(16));
    const response = await this.call({
      ...this.ids(),
      type: 'UPDATE',
      update: { status: { ...status, source: 'SOURCE_EXECUTOR', uuid } },
    });
    return { response, uuid };
  }

  message(data: Uint8Array): Promise<RawResponse> {
    return this.call({ ...this.ids(), type: 'MESSAGE', message: { data } });
  }

  /** Stream rule violations and undecodable records. */
  get violations(): string[] {
    return [...this.problems, ...(this.stream?.violations ?? [])];
  }

  close(): void {
    this.stream?.close();
  }
}
