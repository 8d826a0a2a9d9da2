import protobuf from 'protobufjs';
import type { PlainMessage, PlainValue } from './plain.js';

export type JsonValue = string | number | boolean | JsonObject | JsonValue[];
export interface JsonObject {
  [field: string]: JsonValue;
}

/**
 * The JSON form of a plain message, fields in declaration order: bytes become base64,
 * absent fields, empty lists and keys the schema does not know are left out.
 */
export function writeJson(type: protobuf.Type, message: PlainMessage): JsonObject {
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries(value as PlainMessage).filter(([, v]) => v !== undefined);
      if (entries.length > 0)
        out[field.name] = Object.fromEntries(
          entries.map(([k, v]) => [k, writeValue(field, v as PlainValue)]),
        );
    } else if (!field.repeated) {
      out[field.name] = writeValue(field, value);
    } else if (Array.isArray(value) && value.length > 0) {
      out[field.name] = value.map((item) => writeValue(field, item));
    }
  }
  return out;
}

function writeValue(field: protobuf.FieldBase, value: PlainValue): JsonValue {
  if (field.resolvedType instanceof protobuf.Type)
    return writeJson(field.resolvedType, value as PlainMessage);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return value as JsonValue;
}
