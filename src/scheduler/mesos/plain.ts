/**
 * The in-memory form of a Mesos message, shared by both content types: proto field names,
 * enums as their names, bytes as Uint8Array, every number (64-bit ones too) as a number;
 * absent fields and empty repeated fields are left out.
 */
export type PlainValue = string | number | boolean | Uint8Array | PlainMessage | PlainValue[];

export interface PlainMessage {
  [field: string]: PlainValue | undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * Where the value being read came from:
 * - `json`: parsed JSON; bytes are base64 strings, enums must be known names.
 * - `wire`: protobufjs' decoded object; bytes are Uint8Array, and an enum number this
 *   schema does not know is dropped, as proto2 does with unknown enum values.
 */
export type Flavor = 'json' | 'wire';
