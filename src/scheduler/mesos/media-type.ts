import { ok, type Result } from './result.js';

export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';

/** The two encodings of the v1 HTTP APIs; SUBSCRIBE streams the chosen one in RecordIO. */
export type MediaType = typeof APPLICATION_JSON | typeof APPLICATION_PROTOBUF;

export interface Negotiated {
  readonly request: MediaType;
  readonly response: MediaType;
}

/** An HTTP status and body for a request whose media types cannot be served. */
export interface NegotiationError {
  readonly status: 400 | 406 | 415;
  readonly message: string;
}

type Negotiation<T> = Result<T, NegotiationError>;

function refuse(status: NegotiationError['status'], message: string): Negotiation<never> {
  return { ok: false, error: { status, message } };
}

/** Decides both media types of a request from its Content-Type and Accept headers. */
export function negotiate(
  contentType: string | undefined,
  accept: string | undefined,
): Negotiation<Negotiated> {
  const request = requestMediaType(contentType);
  if (!request.ok) return request;
  const response = responseMediaType(accept);
  if (!response.ok) return response;
  return ok({ request: request.value, response: response.value });
}

/**
 * The body's media type. Parameters (`; charset=utf-8`) and case are ignored. A missing
 * header is a 400, as in Mesos; any other type is a 415.
 */
export function requestMediaType(contentType: string | undefined): Negotiation<MediaType> {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === '') return refuse(400, "Expecting 'Content-Type' to be present");
  if (essence === APPLICATION_JSON || essence === APPLICATION_PROTOBUF) return ok(essence);
  return refuse(415, `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}`);
}

/**
 * The response's media type: JSON if Accept allows it, else protobuf, else a 406 — the
 * order Mesos uses. An absent or blank Accept allows everything.
 */
export function responseMediaType(accept: string | undefined): Negotiation<MediaType> {
  if (accept === undefined || accept.trim() === '') return ok(APPLICATION_JSON);
  const ranges = parseAccept(accept);
  if (accepts(ranges, APPLICATION_JSON)) return ok(APPLICATION_JSON);
  if (accepts(ranges, APPLICATION_PROTOBUF)) return ok(APPLICATION_PROTOBUF);
  return refuse(406, `Expecting 'Accept' to allow '${APPLICATION_PROTOBUF}' or '${APPLICATION_JSON}'`);
}

interface MediaRange {
  readonly range: string;
  readonly q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').flatMap((entry) => {
    const [range = '', ...params] = entry.split(';').map((part) => part.trim());
    if (range === '') return [];
    const q = params.map((param) => /^q\s*=\s*(.*)$/i.exec(param)?.[1]).find((value) => value !== undefined);
    // A malformed q counts as q=1, as in libprocess.
    const weight = q === undefined || !/^\d+(\.\d*)?$/.test(q) ? 1 : Number(q);
    return [{ range: range.toLowerCase(), q: weight }];
  });
}

/** The most specific range that names the type decides: type/subtype, then type/*, then *\/*. */
function accepts(ranges: readonly MediaRange[], mediaType: MediaType): boolean {
  const [type] = mediaType.split('/');
  for (const candidate of [mediaType, `${type}/*`, '*/*']) {
    const match = ranges.find((range) => range.range === candidate);
    if (match !== undefined) return match.q > 0;
  }
  return false;
}
