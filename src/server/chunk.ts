/**
 * Writes one HTTP chunk of a chunked response. Mesos clients read a stream record by record,
 * one record per chunk; Node 26 merges the writes of one tick into a single chunk (they
 * wait in the response's cork until the next tick), so each write is uncorked at once.
 * On Node 24 the response is never corked and this is a plain write.
 */
import type { ServerResponse } from 'node:http';

export function writeChunk(res: ServerResponse, data: Buffer): void {
  if (res.writableEnded) return;
  res.write(data);
  while (res.writableCorked > 0) res.uncork();
}
