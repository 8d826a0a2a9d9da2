/** Unit tests need nothing running; integration tests share one control plane per run. */
const common = {
  // Only the sources: .cache holds etcd data whose *.snap files jest would take for snapshots.
  roots: ['<rootDir>/src', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

export default {
  // Integration tests wait on a real control plane; unit tests finish far sooner.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.js',
      globalTeardown: '<rootDir>/test/integration/global-teardown.js',
    },
    {
      // Real nodes (kubelet, containerd, runc) on a local control plane of their own: needs
      // root and cgroups, and never runs against KUBECONFIG's cluster.
      ...common,
      displayName: 'realnode',
      testMatch: ['<rootDir>/test/realnode/**/*.test.ts'],
      globalSetup: '<rootDir>/test/realnode/global-setup.js',
      globalTeardown: '<rootDir>/test/integration/global-teardown.js',
    },
    {
      // The operator as deployed on a real cluster (kind in CI): needs KUBECONFIG and kubelets.
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.js',
    },
  ],
};
