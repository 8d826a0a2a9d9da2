import type { MediaType } from '../../src/scheduler/mesos/index.js';
import type { HeaderMap } from './http-response.js';

/**
 * What scheduler-http-api.md promises of a SUBSCRIBE response: a chunked stream without
 * Content-Length, in exactly the media type asked for (clients compare it verbatim, so a
 * `; charset` parameter breaks them), carrying the Mesos-Stream-Id later calls must echo.
 */
export function subscribeHeaderProblems(headers: HeaderMap, mediaType: MediaType): string[] {
  const problems: string[] = [];
  const shown = (name: string): string => {
    const values = headers[name];
    return values === undefined ? 'absent' : JSON.stringify(values.join(', '));
  };
  if (headers['transfer-encoding']?.join(',') !== 'chunked')
    problems.push(`Transfer-Encoding is ${shown('transfer-encoding')}, not "chunked"`);
  if (headers['content-length'] !== undefined)
    problems.push(`Content-Length ${shown('content-length')} is set; a stream has none`);
  if (headers['content-type']?.join(',') !== mediaType)
    problems.push(`Content-Type is ${shown('content-type')}, not exactly "${mediaType}"`);
  const streamIds = headers['mesos-stream-id'] ?? [];
  if (streamIds.length !== 1 || streamIds[0] === '')
    problems.push(`Mesos-Stream-Id is ${shown('mesos-stream-id')}; want one non-empty value`);
  return problems.map((problem) => `SUBSCRIBE response: ${problem}`);
}
