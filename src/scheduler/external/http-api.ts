/**
 * The Mesos v1 Scheduler HTTP API's bytes: POST /api/v1/scheduler (docs/scheduler-http-api.md).
 * SUBSCRIBE answers 200 and keeps the response open as a chunked stream of RecordIO records,
 * one record per chunk, written at once; every other call answers 202 with no body, or an
 * error status with a short text.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import { splitKey } from '../../api/keys.js';
import { errorMessage } from '../../kube/errors.js';
import type { MesosCodec } from '../mesos/codec.js';
import type { MediaType } from '../mesos/media-type.js';
import type { Call } from '../mesos/types/scheduler.js';
import type { Auth, Caller } from './auth.js';
import type { CallHandler } from './calls.js';
import type { RateLimiter } from './rate-limit.js';
import type { Session } from './session.js';
import type { ExternalScheduler } from './external-scheduler.js';
import { acceptCall, readCall, recordStream, refuse, type Availability } from '../mesos/http-edge.js';

export const STREAM_ID_HEADER = 'Mesos-Stream-Id';
/** The Mesos release whose API kmesos serves; clients compare it numerically. */
export const MESOS_VERSION = '1.11.0';

export interface SchedulerApiDeps {
  scheduler: ExternalScheduler;
  calls: CallHandler;
  codec: MesosCodec;
  availability: () => Availability;
  auth: Auth;
  /** The namespace a caller's frameworks live in. */
  namespaceFor: (caller: Caller) => string;
  limiter: RateLimiter<Session>;
  logger: Logger;
  maxBodyBytes: number;
  /** Each answered call: its type (UNPARSED when unread) and HTTP status; a stream counts when it opens. */
  observe?: (call: string, code: number) => void;
}

export function schedulerApiRouter(deps: SchedulerApiDeps): Router {
  const router = Router();
  router.all('/', (req, res, next) => {
    res.on('finish', () => {
      if (res.locals['streamed'] !== true)
        deps.observe?.(String(res.locals['call'] ?? 'UNPARSED'), res.statusCode);
    });
    handle(deps, req, res).catch(next);
  });
  return router;
}

/** GET /version, which Mesos clients read to learn what the master supports. */
export function versionRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ version: MESOS_VERSION, build_user: 'kmesos', git_tag: MESOS_VERSION });
  });
  return router;
}

async function handle(deps: SchedulerApiDeps, req: Request, res: Response): Promise<void> {
  if (!acceptCall(req, res, deps.availability(), '/api/v1/scheduler')) return;
  const who = await deps.auth.authenticate(req.get('authorization'));
  if (!who.ok) {
    res.setHeader('WWW-Authenticate', 'Basic realm="kmesos", Bearer');
    refuse(res, who.status, who.message);
    return;
  }
  const read = await readCall(req, res, deps.maxBodyBytes);
  if (!read) return;
  const { media, body } = read;
  const decoded = deps.codec.decodeCall(body, media.request);
  if (!decoded.ok) {
    refuse(res, 400, `Failed to validate scheduler::Call: ${decoded.error.message}`);
    return;
  }
  const call = decoded.value;
  res.locals['call'] = call.type ?? 'UNKNOWN';
  if (call.type === 'SUBSCRIBE')
    await subscribe(deps, { req, res, caller: who.caller }, call, media.response);
  else await answer(deps, { req, res, caller: who.caller }, call);
}

interface Exchange {
  req: Request;
  res: Response;
  caller: Caller;
}

async function subscribe(
  deps: SchedulerApiDeps,
  x: Exchange,
  call: Call,
  mediaType: MediaType,
): Promise<void> {
  const { req, res, caller } = x;
  if (req.get(STREAM_ID_HEADER) !== undefined) {
    refuse(res, 400, `Subscribe calls should not include the '${STREAM_ID_HEADER}' header`);
    return;
  }
  const namespace = deps.namespaceFor(caller);
  const allowed = await deps.auth.authorize(caller, namespace);
  if (!allowed.ok) {
    refuse(res, allowed.status, allowed.message);
    return;
  }
  let result;
  try {
    result = await deps.scheduler.subscribe(
      call,
      mediaType,
      recordStream(req, res, mediaType, STREAM_ID_HEADER),
      {
        principal: caller.principal,
        namespace,
      },
    );
  } catch (err) {
    deps.logger.error('subscribe failed', { error: errorMessage(err) });
    refuse(res, 503, `Could not register the framework: ${errorMessage(err)}`);
    return;
  }
  if (!result.ok) {
    refuse(res, result.status, result.message);
    return;
  }
  const { session } = result;
  res.locals['streamed'] = true;
  deps.observe?.('SUBSCRIBE', 200);
  res.on('close', () => deps.scheduler.disconnected(session));
}

async function answer(deps: SchedulerApiDeps, x: Exchange, call: Call): Promise<void> {
  const { req, res, caller } = x;
  const streamId = req.get(STREAM_ID_HEADER);
  if (streamId === undefined) {
    refuse(res, 400, `All non-subscribe calls should include the '${STREAM_ID_HEADER}' header`);
    return;
  }
  const frameworkId = call.framework_id?.value;
  if (frameworkId === undefined) {
    refuse(res, 400, "Expecting 'framework_id' to be present");
    return;
  }
  const session = deps.scheduler.sessionById(frameworkId);
  if (!session) {
    refuse(res, 403, 'Framework is not subscribed');
    return;
  }
  if (session.streamId !== streamId) {
    refuse(
      res,
      400,
      `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`,
    );
    return;
  }
  if (caller.principal !== session.principal) {
    refuse(res, 403, `Framework ${frameworkId} was subscribed by another principal`);
    return;
  }
  const allowed = await deps.auth.authorize(caller, splitKey(session.frameworkKey).namespace);
  if (!allowed.ok) {
    refuse(res, allowed.status, allowed.message);
    return;
  }
  if (!deps.limiter.take(session)) {
    refuse(res, 429, `Framework ${frameworkId} is over its call rate; retry later`);
    return;
  }
  const result = deps.calls.handle(session, call);
  if (result.status === 202) res.status(202).end();
  else refuse(res, result.status, result.message);
}
