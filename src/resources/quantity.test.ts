import { MAX_AMOUNT, formatQuantity, parseQuantity, QuantityError } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    // name, resource, input, want (cpu in millicores, the rest in whole units)
    ['millicores', 'cpu', '500m', 500],
    ['whole cores', 'cpu', '2', 2000],
    ['fractional cores', 'cpu', '0.1', 100],
    ['fraction rounds up to a millicore', 'cpu', '0.0001', 1],
    ['nano cpu rounds up', 'cpu', '1n', 1],
    ['micro cpu', 'cpu', '1500u', 2],
    ['exponent', 'cpu', '2e3', 2_000_000],
    ['capital exponent', 'cpu', '1E-3', 1],
    ['negative exponent memory', 'memory', '12e-1', 2],
    ['leading dot', 'cpu', '.5', 500],
    ['trailing dot', 'cpu', '3.', 3000],
    ['plus sign', 'cpu', '+1', 1000],
    ['negative', 'cpu', '-1', -1000],
    ['bytes', 'memory', '128974848', 128974848],
    ['kilo', 'memory', '129e6', 129_000_000],
    ['decimal k', 'memory', '1k', 1000],
    ['decimal M', 'memory', '129M', 129_000_000],
    ['decimal G', 'memory', '1G', 1e9],
    ['decimal T', 'ephemeral-storage', '2T', 2e12],
    ['decimal P', 'ephemeral-storage', '1P', 1e15],
    ['decimal E is exa', 'memory', '0.001E', 1e15],
    ['Ki', 'memory', '1Ki', 1024],
    ['Mi', 'memory', '123Mi', 123 * 2 ** 20],
    ['fractional Gi', 'memory', '1.5Gi', 1.5 * 2 ** 30],
    ['Ti', 'memory', '1Ti', 2 ** 40],
    ['Pi', 'memory', '2Pi', 2 ** 51],
    ['Ei is too large but 0.001Ei fits', 'memory', '0.001Ei', Math.ceil(2 ** 60 / 1000)],
    ['milli bytes round up', 'memory', '1500m', 2],
    ['fractional Ki rounds up', 'memory', '0.3Ki', 308],
    ['zero', 'memory', '0', 0],
    ['gpu count', 'nvidia.com/gpu', '2', 2],
    ['tiny exponent rounds to one', 'cpu', '1e-300', 1],
    ['tinier than any exponent BigInt needs', 'cpu', '1e-99999', 1],
    ['zero with a huge exponent', 'memory', '0e99999', 0],
    ['the largest amount', 'memory', String(MAX_AMOUNT), MAX_AMOUNT],
    ['the largest cpu', 'cpu', `${MAX_AMOUNT}m`, MAX_AMOUNT],
  ])('%s: %s %s → %d', (_name, resource, input, want) => {
    expect(parseQuantity(resource, input)).toBe(want);
  });

  it.each([
    ['empty', ''],
    ['letters', 'abc'],
    ['bad suffix', '12x'],
    ['lower ki', '1ki'],
    ['lone e', '1e'],
    ['only dot', '.'],
    ['space', ' 1'],
    ['two dots', '1.2.3'],
    ['sign only', '-'],
    ['out of range', '9Ei'],
    ['one past the largest amount', String(MAX_AMOUNT + 1)],
    ['huge exponent', '1e500'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
  ])('rejects %s (%j) naming resource and value', (_name, input) => {
    expect(() => parseQuantity('memory', input)).toThrow(QuantityError);
    expect(() => parseQuantity('memory', input)).toThrow(/resource "memory".*"/);
  });

  it('error carries the resource and value', () => {
    try {
      parseQuantity('nvidia.com/gpu', 'two');
      throw new Error('unreachable');
    } catch (e) {
      expect(e).toBeInstanceOf(QuantityError);
      expect((e as QuantityError).resource).toBe('nvidia.com/gpu');
      expect((e as QuantityError).value).toBe('two');
      expect((e as Error).message).toContain('"two"');
    }
  });

  it.each<[string, number, number]>([
    // resource, a number as YAML gives it (`cpu: 1.5`), want
    ['cpu', 1.5, 1500],
    ['cpu', 0.1, 100],
    ['cpu', 2, 2000],
    ['memory', 1e3, 1000],
    ['memory', 1e21 / 1e6, 1e15],
    ['memory', 0.5, 1],
    ['cpu', 1e-7, 1],
    ['cpu', -1, -1000],
  ])('reads the number %s: %d → %d', (resource, input, want) => {
    expect(parseQuantity(resource, input)).toBe(want);
  });

  it.each([NaN, Infinity, -Infinity, 1e21])('rejects the number %d', (input) => {
    expect(() => parseQuantity('memory', input)).toThrow(QuantityError);
  });

  it('says how large a quantity may be, in the unit of the resource', () => {
    expect(() => parseQuantity('cpu', '1e20')).toThrow(`at most ${MAX_AMOUNT} millicores`);
    expect(() => parseQuantity('memory', '9Ei')).toThrow(`at most ${MAX_AMOUNT} bytes`);
    expect(() => parseQuantity('nvidia.com/gpu', '1e16')).toThrow(`at most ${MAX_AMOUNT} units`);
  });

  it('can force a unit', () => {
    expect(parseQuantity('memory', '1', 'milli')).toBe(1000);
  });
});

describe('formatQuantity', () => {
  it.each([
    ['cpu', 1500, '1500m'],
    ['cpu', 2000, '2'],
    ['memory', 2 ** 30, '1Gi'],
    ['memory', 1000, '1000'],
    ['memory', 0, '0'],
    ['nvidia.com/gpu', 3, '3'],
  ])('%s %d → %s', (resource, amount, want) => {
    expect(formatQuantity(resource, amount)).toBe(want);
  });
});
