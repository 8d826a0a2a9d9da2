/** The outcome of decoding untrusted input: a value, or a CodecError saying where and why. */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/**
 * Why a body could not be decoded. `path` names the field from the root (`call.accept.
 * offer_ids[0].value`), `reason` is short (`required`, `must be a string`), and `message`
 * joins them for a 400 response body.
 */
export interface CodecError {
  readonly kind: 'CodecError';
  readonly path: string;
  readonly reason: string;
  readonly message: string;
}

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail(path: string, reason: string): { readonly ok: false; readonly error: CodecError } {
  return { ok: false, error: { kind: 'CodecError', path, reason, message: `${path}: ${reason}` } };
}
