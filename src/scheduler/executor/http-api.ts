/**
 * The Mesos v1 Executor HTTP API's bytes: POST /api/v1/executor, where a Mesos agent serves it.
 * Executors authenticate with the token their pod's environment holds
 * (`Authorization: Bearer <MESOS_EXECUTOR_AUTHENTICATION_TOKEN>`). SUBSCRIBE answers 200 and
 * keeps the response open as a stream of RecordIO records; UPDATE and MESSAGE answer 202.
 */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import { errorMessage } from '../../kube/errors.js';
import type { MesosCodec } from '../mesos/codec.js';
import { acceptCall, readCall, recordStream, refuse, type Availability } from '../mesos/http-edge.js';
import type { ExecutorHub } from './hub.js';

export interface ExecutorApiDeps {
  hub: ExecutorHub;
  codec: MesosCodec;
  availability: () => Availability;
  logger: Logger;
  maxBodyBytes: number;
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

export function executorApiRouter(deps: ExecutorApiDeps): Router {
  const router = Router();
  router.all('/', (req, res, next) => {
    handle(deps, req, res).catch(next);
  });
  return router;
}

async function handle(deps: ExecutorApiDeps, req: Request, res: Response): Promise<void> {
  if (!acceptCall(req, res, deps.availability(), '/api/v1/executor')) return;
  const read = await readCall(req, res, deps.maxBodyBytes);
  if (!read) return;
  const { media, body } = read;
  const decoded = deps.codec.decodeExecutorCall(body, media.request);
  if (!decoded.ok) {
    refuse(res, 400, `Failed to validate executor::Call: ${decoded.error.message}`);
    return;
  }
  const call = decoded.value;
  const who = deps.hub.authenticate(call, bearer(req.get('authorization')));
  if (!who.ok) {
    if (who.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="mesos-agent-executor"');
    refuse(res, who.status, who.message);
    return;
  }
  const { ref } = who;
  switch (call.type) {
    case 'SUBSCRIBE': {
      let conn;
      try {
        conn = deps.hub.subscribe(ref, call, media.response, recordStream(req, res, media.response));
      } catch (err) {
        deps.logger.error('executor subscribe failed', {
          executor: ref.executorId,
          error: errorMessage(err),
        });
        if (!res.headersSent) refuse(res, 503, `Could not subscribe the executor: ${errorMessage(err)}`);
        return;
      }
      res.on('close', () => deps.hub.disconnected(conn));
      return;
    }
    case 'UPDATE':
      answer(res, deps.hub.update(ref, call.update?.status));
      return;
    case 'MESSAGE':
      answer(res, deps.hub.message(ref, call.message?.data));
      return;
    case 'HEARTBEAT':
      res.status(202).end();
      return;
    default:
      refuse(res, 400, `call.type: ${call.type ?? 'UNKNOWN'} is not supported by kmesos`);
  }
}

function answer(res: Response, result: ReturnType<ExecutorHub['update']>): void {
  if (result.status === 202) res.status(202).end();
  else refuse(res, result.status, result.message);
}
