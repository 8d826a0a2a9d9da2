import { metricUnit, toBaseUnits } from './units.js';

describe('metricUnit', () => {
  it.each([
    ['cpu', 'core'],
    ['memory', 'byte'],
    ['ephemeral-storage', 'byte'],
    ['hugepages-2Mi', 'byte'],
    ['nvidia.com/gpu', 'integer'],
    ['pods', 'integer'],
  ])('%s is measured in %s', (resource, want) => {
    expect(metricUnit(resource)).toBe(want);
  });
});

describe('toBaseUnits', () => {
  it.each([
    ['cpu', 1500, 1.5],
    ['cpu', 250, 0.25],
    ['memory', 1073741824, 1073741824],
    ['nvidia.com/gpu', 2, 2],
  ])('%s %d internal units are %d base units', (resource, amount, want) => {
    expect(toBaseUnits(resource, amount)).toBe(want);
  });
});
