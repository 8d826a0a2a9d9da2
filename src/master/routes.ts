/**
 * The master's HTTP endpoints, as express routers: the read-only JSON endpoints (mounted at
 * /master and at the root, as Mesos serves both), /metrics/snapshot, and the v1 operator API
 * (POST /api/v1: reads, the SUBSCRIBE stream and writes). Every replica answers from its own
 * watch caches, so a standby shows what it knows (with master/elected 0) and streams it; its
 * writes go to the Kubernetes API like the leader's. /redirect sends a client to the leader.
 */
import { Router, type Request, type Response } from 'express';
import { errorMessage, statusCode } from '../kube/errors.js';
import type { Auth, Authorized, Caller } from '../scheduler/external/auth.js';
import { readBody } from '../scheduler/mesos/http-edge.js';
import type { MesosCodec } from '../scheduler/mesos/codec.js';
import { negotiate } from '../scheduler/mesos/media-type.js';
import type { HostPort, MasterInputs } from './inputs.js';
import { renderJson } from './jsonp.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import { buildModel, type MasterModel } from './model.js';
import { answerCall } from './operator-api.js';
import {
  WRITE_CALLS,
  planWrite,
  type MasterWriter,
  type WriteContext,
  type WritePlan,
  type WriteStep,
} from './operator-writes.js';
import { SubscriptionHub, type SubscriptionOptions } from './subscription.js';
import {
  frameworksJson,
  rolesJson,
  slavesJson,
  stateJson,
  stateSummaryJson,
  tasksJson,
  tasksQuery,
} from './state-json.js';

export interface MasterRoutesDeps {
  /** What the endpoints show; undefined until the watch caches have synced. */
  inputs: (req: Request) => MasterInputs | undefined;
  /** The leading master (this one when it leads); undefined while none is known. */
  leader: (req: Request) => HostPort | undefined;
  auth: Auth;
  codec: MesosCodec;
  maxBodyBytes: number;
  /** Does the operator API's writes (DRAIN_AGENT, UPDATE_WEIGHTS, …). */
  writer: MasterWriter;
  /** SUBSCRIBE's heartbeat and how often its stream looks for changes. */
  subscription: Omit<SubscriptionOptions, 'codec'>;
}

/** A read-only endpoint: the model (and the request's query) in, a JSON value out. */
type View = (m: MasterModel, query: Readonly<Record<string, unknown>>) => unknown;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const VIEWS: Readonly<Record<string, View>> = {
  '/state': (m) => stateJson(m),
  '/state.json': (m) => stateJson(m),
  '/state-summary': (m) => stateSummaryJson(m),
  '/frameworks': (m, q) => frameworksJson(m, text(q['framework_id'])),
  '/slaves': (m, q) => slavesJson(m, text(q['slave_id'])),
  '/tasks': (m, q) => tasksJson(m, tasksQuery(q)),
  '/tasks.json': (m, q) => tasksJson(m, tasksQuery(q)),
  '/roles': (m) => rolesJson(m),
  '/roles.json': (m) => rolesJson(m),
};

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}

/**
 * The caches and then the caller: a 503 before the first sync (Mesos' answer while it
 * recovers), then authentication.
 */
async function authenticate(
  deps: MasterRoutesDeps,
  req: Request,
  res: Response,
): Promise<{ inputs: MasterInputs; caller: Caller } | undefined> {
  const inputs = deps.inputs(req);
  if (!inputs) {
    refuse(res, 503, 'Master has not finished recovery');
    return undefined;
  }
  const who = await deps.auth.authenticate(req.get('authorization'));
  if (!who.ok) {
    res.setHeader('WWW-Authenticate', 'Basic realm="kmesos", Bearer');
    refuse(res, who.status, who.message);
    return undefined;
  }
  return { inputs, caller: who.caller };
}

/** Whether the answer allows; refuses the request when it does not. */
function allowed(res: Response, answer: Authorized): boolean {
  if (!answer.ok) refuse(res, answer.status, answer.message);
  return answer.ok;
}

/** Authentication and the right to read every namespace's tasks. */
async function admit(deps: MasterRoutesDeps, req: Request, res: Response): Promise<MasterInputs | undefined> {
  const who = await authenticate(deps, req, res);
  if (!who) return undefined;
  return allowed(res, await deps.auth.authorizeRead(who.caller)) ? who.inputs : undefined;
}

function serveView(deps: MasterRoutesDeps, view: View): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const inputs = await admit(deps, req, res);
    if (!inputs) return;
    const query = req.query as Record<string, unknown>;
    const rendered = renderJson(view(buildModel(inputs), query), query['jsonp']);
    res.status(rendered.status).type(rendered.contentType).send(rendered.body);
  };
}

/** Mesos' /redirect: 307 to the leader's base URL (the leader to itself), 503 while none is known. */
function redirect(deps: MasterRoutesDeps, req: Request, res: Response): void {
  const leader = deps.leader(req);
  if (!leader) {
    refuse(res, 503, 'No leader elected');
    return;
  }
  res.setHeader('Location', `//${leader.hostname}:${leader.port}`);
  res.status(307).end();
}

/** /state, /state-summary, /frameworks, /slaves, /tasks, /roles, /redirect and /health. */
export function readOnlyRouter(deps: MasterRoutesDeps): Router {
  const router = Router();
  for (const [path, view] of Object.entries(VIEWS)) {
    const handler = serveView(deps, view);
    router.get(path, (req, res, next) => void handler(req, res).catch(next));
  }
  router.get('/redirect', (req, res) => redirect(deps, req, res));
  router.get('/health', (_req, res) => void res.status(200).end());
  return router;
}

/** /metrics/snapshot, mounted at /metrics. */
export function metricsRouter(deps: MasterRoutesDeps): Router {
  const router = Router();
  const handler = serveView(deps, (m) => metricsSnapshot(m));
  router.get('/snapshot', (req, res, next) => void handler(req, res).catch(next));
  return router;
}

/** POST /api/v1: a master Call in the request's media type, its Response in the accepted one. */
export function operatorApiRouter(deps: MasterRoutesDeps): Router {
  const router = Router();
  const hub = new SubscriptionHub({ ...deps.subscription, codec: deps.codec });
  router.all('/', (req, res, next) => void operatorCall(deps, hub, req, res).catch(next));
  return router;
}

async function operatorCall(
  deps: MasterRoutesDeps,
  hub: SubscriptionHub,
  req: Request,
  res: Response,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    refuse(res, 405, `Expecting one of { 'POST' }, but received '${req.method}'`);
    return;
  }
  const media = negotiate(req.get('content-type'), req.get('accept'));
  if (!media.ok) {
    refuse(res, media.error.status, media.error.message);
    return;
  }
  const who = await authenticate(deps, req, res);
  if (!who) return;
  const body = await readBody(req, deps.maxBodyBytes);
  if (body === undefined) {
    refuse(res, 413, `Request body is larger than ${deps.maxBodyBytes} bytes`);
    return;
  }
  const call = deps.codec.decodeMasterCall(body, media.value.request);
  if (!call.ok) {
    refuse(res, 400, `Failed to validate master::Call: ${call.error.message}`);
    return;
  }
  const { inputs, caller } = who;
  // The context is built only for writes: reads build their own model.
  const isWrite = WRITE_CALLS.includes(call.value.type ?? 'UNKNOWN');
  const write = isWrite ? planWrite(call.value, writeContext(inputs)) : undefined;
  if (write) {
    await performWrite(deps, res, caller, write);
    return;
  }
  // Reads, the stream included, show every namespace's tasks.
  if (!allowed(res, await deps.auth.authorizeRead(caller))) return;
  if (call.value.type === 'SUBSCRIBE') {
    hub.serve(req, res, media.value.response, () => deps.inputs(req), inputs);
    return;
  }
  const answer = answerCall(call.value, inputs);
  if (!answer.ok) {
    refuse(res, answer.status, answer.message);
    return;
  }
  // Exactly the media type, as Mesos answers: express' type() would add a charset.
  res.status(200).setHeader('Content-Type', media.value.response);
  res.send(deps.codec.encodeMasterResponse(answer.response, media.value.response));
}

function writeContext(inputs: MasterInputs): WriteContext {
  return {
    agents: buildModel(inputs).agents,
    resourceRoles: new Map([...inputs.roles].map((rr) => [rr.metadata.name ?? '', rr])),
  };
}

/**
 * A write call: refused (400) when the call is wrong, (403) unless the caller may make every
 * Kubernetes write it takes, else its writes in order and 200 with no body, as Mesos answers.
 */
async function performWrite(
  deps: MasterRoutesDeps,
  res: Response,
  caller: Caller,
  plan: WritePlan,
): Promise<void> {
  if (!plan.ok) {
    refuse(res, plan.status, plan.message);
    return;
  }
  for (const access of plan.access)
    if (!allowed(res, await deps.auth.authorizeAccess(caller, access))) return;
  for (const step of plan.steps) {
    try {
      await deps.writer.run(step);
    } catch (err) {
      const failure = writeFailure(step, err);
      refuse(res, failure.status, failure.message);
      return;
    }
  }
  res.status(200).end();
}

/** A Kubernetes refusal as the operator API's answer: what the caller can fix is theirs (4xx), the rest 500. */
function writeFailure(step: WriteStep, err: unknown): { status: number; message: string } {
  const code = statusCode(err);
  const target = 'node' in step ? `node ${step.node}` : `ResourceRole ${step.name}`;
  const message = `${step.op} ${target} failed: ${errorMessage(err)}`;
  if (code === 404 || code === 409) return { status: code, message };
  if (code === 400 || code === 422) return { status: 400, message };
  return { status: 500, message };
}
