import { fail, ok, type CodecError, type Result } from './result.js';

/**
 * Compact JSON with every character above U+007F written as \uXXXX, so the text is
 * ASCII and its byte length is its character count (RecordIO frames count bytes).
 */
export function stringifyAscii(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a request body as UTF-8 JSON (a leading BOM is allowed). */
export function parseJsonBody(body: Uint8Array, path: string): Result<unknown, CodecError> {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return fail(path, 'body is not valid UTF-8');
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail(path, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
