/**
 * What every Mesos v1 HTTP API (scheduler, executor) does before it reads a call, as
 * libprocess answers it: POST only (405), the leader only (307 to it, 503 while none is
 * known), a media type it speaks (406/415), a body within the limit (413). Each refusal is
 * a short complete text body.
 */
import type { Request, Response } from 'express';
import { writeChunk } from '../../server/chunk.js';
import type { EventSink } from '../external/session.js';
import { negotiate, type MediaType, type Negotiated } from './media-type.js';

/** Whether this replica can serve calls now: the leader, with synced caches. */
export type Availability = { serving: true } | { serving: false; leader?: string };

export function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain').send(`${message}\n`);
}

/** Reads the whole body, or undefined when it is over the limit. */
export async function readBody(req: Request, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Refuses (and returns false) a request that is no POST, or that a replica not leading gets. */
export function acceptCall(req: Request, res: Response, availability: Availability, path: string): boolean {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    refuse(res, 405, `Expecting one of { 'POST' }, but received '${req.method}'`);
    return false;
  }
  if (availability.serving) return true;
  if (availability.leader) {
    res.setHeader('Location', `//${availability.leader}${path}`);
    refuse(res, 307, `Not the leading master; the leader is ${availability.leader}`);
  } else refuse(res, 503, 'No leader elected');
  return false;
}

/** The call's media types and body, or undefined once refused (406, 415, 413). */
export async function readCall(
  req: Request,
  res: Response,
  maxBodyBytes: number,
): Promise<{ media: Negotiated; body: Buffer } | undefined> {
  const media = negotiate(req.get('content-type'), req.get('accept'));
  if (!media.ok) {
    refuse(res, media.error.status, media.error.message);
    return undefined;
  }
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) {
    refuse(res, 413, `Request body is larger than ${maxBodyBytes} bytes`);
    return undefined;
  }
  return { media: media.value, body };
}

/**
 * A call's response kept open as a stream: the head goes out when the stream begins (naming it
 * in `streamIdHeader` when given), then each record is one chunk, flushed at once.
 */
export function recordStream(
  req: Request,
  res: Response,
  mediaType: MediaType,
  streamIdHeader?: string,
): EventSink {
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
  return {
    begin(streamId: string): void {
      res.status(200);
      res.setHeader('Content-Type', mediaType);
      if (streamIdHeader !== undefined) res.setHeader(streamIdHeader, streamId);
      res.setHeader('Cache-Control', 'no-cache');
      res.flushHeaders();
    },
    write(record: Buffer): void {
      writeChunk(res, record);
    },
    end(): void {
      if (!res.writableEnded) res.end();
    },
  };
}
