import { beyondCluster, guaranteeCovered } from './guarantee.js';

const GI = 2 ** 30;

type R = Record<string, number>;

describe('quota guarantees', () => {
  it.each<{ name: string; guarantee: R; allocated: R; want: boolean }>([
    { name: 'covered exactly', guarantee: { cpu: 2000 }, allocated: { cpu: 2000 }, want: true },
    {
      name: 'one resource short',
      guarantee: { cpu: 2000, memory: GI },
      allocated: { cpu: 3000 },
      want: false,
    },
    { name: 'nothing asked', guarantee: {}, allocated: {}, want: true },
  ])('$name: covered = $want', ({ guarantee, allocated, want }) => {
    expect(guaranteeCovered(guarantee, allocated)).toBe(want);
  });

  it.each<{ name: string; guarantee: R; capacity: R; want: string[] }>([
    { name: 'within the cluster', guarantee: { cpu: 8000 }, capacity: { cpu: 8000 }, want: [] },
    {
      name: 'more cpu than there is',
      guarantee: { cpu: 9000 },
      capacity: { cpu: 8000 },
      want: ['cpu: 9 > 8'],
    },
    {
      name: 'a resource the cluster lacks, listed by name',
      guarantee: { 'nvidia.com/gpu': 1, cpu: 1000 },
      capacity: { cpu: 500 },
      want: ['cpu: 1 > 500m', 'nvidia.com/gpu: 1 > 0'],
    },
  ])('$name', ({ guarantee, capacity, want }) => {
    expect(beyondCluster(guarantee, capacity)).toEqual(want);
  });
});
