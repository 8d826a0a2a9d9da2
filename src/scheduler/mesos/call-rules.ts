import protobuf from 'protobufjs';
import type { PlainMessage } from './plain.js';
import { fail, ok, type CodecError, type Result } from './result.js';

/**
 * Top-level Calls and Events declare `type` optional (so new types stay parseable), but
 * nothing can be done with one that lacks it, or that lacks the body its type names:
 * type SUBSCRIBE carries `subscribe`, ACCEPT_INVERSE_OFFERS `accept_inverse_offers`.
 * `bodyOptional` lists the types whose body may be left out (REVIVE without roles).
 */
export function checkTypeAndBody(
  type: protobuf.Type,
  message: PlainMessage,
  path: string,
  bodyOptional: ReadonlySet<string>,
): Result<PlainMessage, CodecError> {
  const kind = message['type'];
  if (typeof kind !== 'string') return fail(`${path}.type`, 'required');
  const body = kind.toLowerCase();
  if (!bodyOptional.has(kind) && type.fields[body] !== undefined && message[body] === undefined) {
    return fail(`${path}.${body}`, `required for type ${kind}`);
  }
  return ok(message);
}
