import { quotaOfConfig } from './mesos-quota.js';

const P = 'call.update_quota.quota_configs[0]';
const s = (value: number): { value: number } => ({ value });

describe('quotaOfConfig: a Mesos QuotaConfig as a ResourceRole quota', () => {
  it.each([
    ['no guarantees and no limits remove the quota', {}, undefined],
    [
      'cores, MiB and GPUs in Kubernetes names and units',
      { guarantees: { cpus: s(1.5), mem: s(512), disk: s(1024), gpus: s(2) } },
      { guarantee: { cpu: '1500m', memory: '512Mi', 'ephemeral-storage': '1024Mi', 'nvidia.com/gpu': '2' } },
    ],
    [
      'a fraction of a MiB in bytes, rounded up',
      { limits: { mem: s(0.5) } },
      { limit: { memory: '524288' } },
    ],
    ['a fraction of a millicore rounds up', { limits: { cpus: s(0.0005) } }, { limit: { cpu: '1m' } }],
    [
      'guarantee and limit together',
      { guarantees: { cpus: s(1) }, limits: { cpus: s(4), mem: s(2048) } },
      { guarantee: { cpu: '1000m' }, limit: { cpu: '4000m', memory: '2048Mi' } },
    ],
    ['zero is a quota of nothing', { limits: { cpus: s(0) } }, { limit: { cpu: '0m' } }],
  ])('%s', (_name, config, want) => {
    expect(quotaOfConfig({ role: 'dev', ...config }, P)).toEqual({ ok: true, quota: want });
  });

  it.each([
    [
      'an unknown resource',
      { guarantees: { ports: s(1) } },
      `${P}.guarantees["ports"]: kmesos knows quota of cpus, mem, disk, gpus`,
    ],
    [
      'a negative amount',
      { limits: { mem: s(-1) } },
      `${P}.limits["mem"]: must be a non-negative number, not -1`,
    ],
    ['part of a GPU', { limits: { gpus: s(0.5) } }, `${P}.limits["gpus"]: must be a whole number, not 0.5`],
    [
      'a guarantee above the limit',
      { guarantees: { cpus: s(4) }, limits: { cpus: s(2) } },
      `${P}.guarantees["cpus"]: 4 exceeds the limit of 2`,
    ],
    ['an absurd amount', { limits: { cpus: s(1e300) } }, `${P}.limits["cpus"]: 1e+300 is too large`],
  ])('refuses %s, naming the field', (_name, config, message) => {
    expect(quotaOfConfig({ role: 'dev', ...config }, P)).toEqual({ ok: false, message });
  });
});
