/**
 * Exact parsing of Kubernetes resource quantities into integers.
 *
 * Grammar (k8s.io/apimachinery/pkg/api/resource):
 *   quantity ::= sign? number suffix
 *   number   ::= digits | digits '.' digits? | '.' digits
 *   suffix   ::= '' | binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m k M G T P E) | ('e'|'E') sign? digits
 *
 * The value is computed with BigInt, so `0.1`, `1.5Gi` or `2e3` never drift, then rounded
 * away from zero to the unit, as `Quantity.MilliValue()` / `Value()` do: cpu in millicores,
 * everything else (bytes, counts) in whole units. A quantity may also come as a JSON number
 * (`cpu: 1.5` in YAML), as a Pod accepts it; it is read through its shortest decimal form.
 *
 * Every amount must be at most MAX_AMOUNT of its unit, so that sums stay exact in a JS number.
 * The CRDs' CEL rules use the same bound (src/api/schema/common.ts).
 */

/** Thrown for a malformed or out-of-range quantity; names the resource and the bad value. */
export class QuantityError extends Error {
  constructor(
    readonly resource: string,
    readonly value: string,
    readonly problem: string,
  ) {
    super(`invalid quantity for resource "${resource}": ${JSON.stringify(value)} (${problem})`);
    this.name = 'QuantityError';
  }
}

/** Which integer unit a quantity is rounded to. */
export type QuantityUnit = 'milli' | 'unit';

const QUANTITY_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// Inputs longer than this are rejected before BigInt work; real quantities are short.
const MAX_LENGTH = 128;
// Beyond this power of ten a non-zero value is far out of range, and below its negative a value
// of at most MAX_LENGTH digits is under one unit: either way BigInt need not go further.
const MAX_EXPONENT = 400;

/** The largest amount of any resource, in its unit (millicores, bytes, counts): 2^53 − 1. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

const MAX_SAFE = BigInt(MAX_AMOUNT);

/** The integer unit Kubernetes uses when scheduling a resource: cpu in millicores, the rest whole. */
export function unitFor(resource: string): QuantityUnit {
  return resource === 'cpu' ? 'milli' : 'unit';
}

/**
 * Parses `value` exactly and rounds it away from zero to `unit`.
 * @throws QuantityError naming `resource` and `value` when malformed or beyond MAX_AMOUNT.
 */
export function parseQuantity(
  resource: string,
  quantity: string | number,
  unit: QuantityUnit = unitFor(resource),
): number {
  const value = String(quantity);
  if (typeof quantity === 'number' && !Number.isFinite(quantity)) {
    throw new QuantityError(resource, value, 'not a finite number');
  }
  if (value.length === 0 || value.length > MAX_LENGTH) {
    throw new QuantityError(resource, value, value.length === 0 ? 'empty' : 'too long');
  }
  const m = QUANTITY_RE.exec(value);
  const intDigits = m?.[2] ?? '';
  const fracDigits = m?.[3] ?? '';
  if (!m || intDigits.length + fracDigits.length === 0) {
    throw new QuantityError(resource, value, 'expected a Kubernetes quantity such as 500m, 1.5Gi or 2e3');
  }
  const negative = m[1] === '-';
  const mantissa = BigInt(intDigits + fracDigits);
  if (mantissa === 0n) return 0;
  const [e10, exp2] = suffixExponents(m[5], m[6]);
  const exp10 = e10 - fracDigits.length + (unit === 'milli' ? 3 : 0);
  // With a mantissa of at least 1, such a power of ten is far past MAX_AMOUNT: no need to compute it.
  const magnitude = exp10 > MAX_EXPONENT ? MAX_SAFE + 1n : scaleRoundUp(mantissa, exp10, exp2);
  if (magnitude > MAX_SAFE) {
    throw new QuantityError(resource, value, `too large: at most ${MAX_AMOUNT} ${unitName(resource, unit)}`);
  }
  const n = Number(magnitude);
  return negative ? -n : n;
}

/** What one unit of `resource` is, for messages: millicores, bytes or units. */
function unitName(resource: string, unit: QuantityUnit): string {
  if (unit === 'milli') return resource === 'cpu' ? 'millicores' : 'thousandths';
  return isByteResource(resource) ? 'bytes' : 'units';
}

/** [power of ten, power of two] of an exponent (`e3`) or SI suffix (`Mi`, `k`). */
function suffixExponents(exponent: string | undefined, suffix: string | undefined): [number, number] {
  if (exponent !== undefined) {
    // Below -MAX_EXPONENT the value is under one unit and rounds up to one, as it does at -MAX_EXPONENT.
    return [Math.max(Number(exponent), -MAX_EXPONENT), 0];
  }
  if (suffix === undefined) return [0, 0];
  return [DECIMAL_SUFFIX[suffix] ?? 0, BINARY_SUFFIX[suffix] ?? 0];
}

/** ceil(mantissa × 10^exp10 × 2^exp2) for a non-negative mantissa. */
function scaleRoundUp(mantissa: bigint, exp10: number, exp2: number): bigint {
  const numerator = mantissa << BigInt(exp2);
  if (exp10 >= 0) {
    return numerator * 10n ** BigInt(exp10);
  }
  const denominator = 10n ** BigInt(-exp10);
  const q = numerator / denominator;
  return q * denominator === numerator ? q : q + 1n;
}

const BINARY_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** Formats an integer amount back as a Kubernetes quantity, for messages. */
export function formatQuantity(resource: string, amount: number): string {
  if (unitFor(resource) === 'milli') {
    return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  }
  if (amount !== 0 && isByteResource(resource)) {
    for (const [suffix, size] of BINARY_UNITS) {
      if (amount % size === 0) return `${amount / size}${suffix}`;
    }
  }
  return String(amount);
}

function isByteResource(resource: string): boolean {
  return resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-');
}
