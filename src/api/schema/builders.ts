/**
 * Typed OpenAPI v3 schema builders and the type-level mapping from a schema to its TypeScript type.
 *
 * Why: the CRD schema is the single source of truth. Each schema below is a plain object whose
 * literal type is kept (const type parameters), so `FromSchema<typeof x>` derives the TypeScript
 * type from the very object that is rendered into crds/*.yaml. Nothing is written twice, so the
 * types and the CRDs cannot drift; the builders also make a description mandatory on every field
 * so that `kubectl explain` always has something to say.
 */

/** A CEL rule as the API server takes it (`x-kubernetes-validations`). */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?:
    'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  readonly optionalOldSelf?: boolean;
}

/** The subset of apiextensions JSONSchemaProps that kmesos uses. */
export interface Schema {
  /** Optional only for the root's `metadata`, which the API server forbids describing; the builders require it. */
  readonly description?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly format?: string;
  readonly properties?: { readonly [name: string]: Schema };
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema;
  readonly items?: Schema;
  readonly enum?: readonly (string | number)[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly anyOf?: readonly { readonly type: 'integer' | 'string' }[];
  readonly 'x-kubernetes-int-or-string'?: true;
  readonly 'x-kubernetes-preserve-unknown-fields'?: true;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
}

/**
 * How a schema reads as a TypeScript type.
 * - `'read'`: an object as the API server returns it; a field with a `default` is always present.
 * - `'write'`: an object as a client sends it; defaulted fields may be left out.
 */
export type Mode = 'read' | 'write';

type DefaultedKeys<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

type RequiredKeys<S, M extends Mode> =
  | (S extends { readonly required: readonly (infer R)[] } ? R : never)
  | (M extends 'read' ? (S extends { readonly properties: infer P } ? DefaultedKeys<P> : never) : never);

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectFrom<P, R, M extends Mode> = Simplify<
  { -readonly [K in keyof P & R]: FromSchema<P[K], M> } & {
    -readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K], M>;
  }
>;

/** The TypeScript type of a schema built with the helpers below. */
export type FromSchema<S, M extends Mode = 'read'> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly 'x-kubernetes-int-or-string': true }
    ? number | string
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'integer' | 'number' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? FromSchema<I, M>[]
            : S extends { readonly type: 'object'; readonly properties: infer P }
              ? ObjectFrom<P, RequiredKeys<S, M>, M>
              : S extends { readonly type: 'object'; readonly additionalProperties: infer A }
                ? { [key: string]: FromSchema<A, M> }
                : S extends { readonly 'x-kubernetes-preserve-unknown-fields': true }
                  ? { [key: string]: unknown }
                  : never;

/** Options shared by every builder: validation keywords, CEL rules and a typed default. */
type Extra = Omit<
  Schema,
  'description' | 'type' | 'properties' | 'required' | 'items' | 'additionalProperties'
>;

/** A string field. */
export function str<const O extends Extra & { readonly default?: string } = object>(
  description: string,
  opts?: O,
): { readonly description: string; readonly type: 'string' } & NoInfer<O> {
  return { description, type: 'string', ...(opts as O) };
}

/** A string field restricted to the given values. */
export function oneOf<
  const E extends readonly string[],
  const O extends Extra & { readonly default?: E[number] } = object,
>(
  description: string,
  values: E,
  opts?: O,
): { readonly description: string; readonly type: 'string'; readonly enum: E } & NoInfer<O> {
  return { description, type: 'string', enum: values, ...(opts as O) };
}

/** An integer field (int64 unless `format` says otherwise). */
export function int<const O extends Extra & { readonly default?: number } = object>(
  description: string,
  opts?: O,
): { readonly description: string; readonly type: 'integer' } & NoInfer<O> {
  return { description, type: 'integer', ...(opts as O) };
}

/** A floating-point field. */
export function num<const O extends Extra & { readonly default?: number } = object>(
  description: string,
  opts?: O,
): { readonly description: string; readonly type: 'number' } & NoInfer<O> {
  return { description, type: 'number', ...(opts as O) };
}

/** A boolean field. */
export function bool<const O extends Extra & { readonly default?: boolean } = object>(
  description: string,
  opts?: O,
): { readonly description: string; readonly type: 'boolean' } & NoInfer<O> {
  return { description, type: 'boolean', ...(opts as O) };
}

/** A list field. */
export function list<const I extends Schema, const O extends Extra = object>(
  description: string,
  items: I,
  opts?: O,
): { readonly description: string; readonly type: 'array'; readonly items: I } & NoInfer<O> {
  return { description, type: 'array', items, ...(opts as O) };
}

/** An object with known properties; `opts.required` names the properties that must be present. */
export function obj<
  const P extends { readonly [name: string]: Schema },
  const O extends Extra & { readonly required?: readonly (keyof P & string)[] } = object,
>(
  description: string,
  properties: P,
  opts?: O,
): { readonly description: string; readonly type: 'object'; readonly properties: P } & NoInfer<O> {
  return { description, type: 'object', properties, ...(opts as O) };
}

/** A map from string keys to values of one schema. */
export function map<const V extends Schema, const O extends Extra = object>(
  description: string,
  values: V,
  opts?: O,
): { readonly description: string; readonly type: 'object'; readonly additionalProperties: V } & NoInfer<O> {
  return { description, type: 'object', additionalProperties: values, ...(opts as O) };
}

/** The same schema with another description, for shared pieces used in several places. */
export function describe<const S extends Schema>(schema: S, description: string): S {
  return { ...schema, description };
}

/** The same schema with more CEL rules, after the ones it has. */
export function withRules<const S extends Schema>(schema: S, rules: readonly CelRule[]): S {
  return { ...schema, 'x-kubernetes-validations': [...(schema['x-kubernetes-validations'] ?? []), ...rules] };
}
