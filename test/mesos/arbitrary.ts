/** fast-check arbitraries of Mesos messages from the schema: any valid message of a type. */
import fc from 'fast-check';
import protobuf from 'protobufjs';
import type { PlainMessage } from '../../src/scheduler/mesos/plain.js';

/** Any valid message of `type`: required fields always, optional ones at random, bounded depth. */
export function arbitraryMessage(type: protobuf.Type, depth = 0): fc.Arbitrary<PlainMessage> {
  const fields = type.fieldsArray.filter((field) => field.required || depth < 3);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) {
    const single = arbitraryValue(field, depth);
    model[field.name] = field.repeated ? fc.array(single, { minLength: 1, maxLength: 2 }) : single;
  }
  const requiredKeys = fields.filter((field) => field.required).map((field) => field.name);
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<PlainMessage>;
}

const NUMBERS: Readonly<Record<string, fc.Arbitrary<number>>> = {
  // -0 is left out: JSON cannot tell it from 0.
  double: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)),
  int32: fc.integer(),
  uint32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  int64: fc.maxSafeInteger(),
  uint64: fc.maxSafeNat(),
};

function arbitraryValue(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return arbitraryMessage(resolved, depth + 1);
  if (resolved instanceof protobuf.Enum) return fc.constantFrom(...Object.keys(resolved.values));
  if (field.type === 'string') return fc.string({ unit: 'grapheme', maxLength: 8 });
  if (field.type === 'bool') return fc.boolean();
  if (field.type === 'bytes') return fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes));
  const numbers = NUMBERS[field.type];
  if (numbers === undefined) throw new Error(`no arbitrary for ${field.type}`);
  return numbers;
}
