// Generated from the mesos.v1.quota .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

import type { Value_Scalar } from './v1.js';

/** mesos.v1.quota.QuotaConfig */
export interface QuotaConfig {
  role: string;
  guarantees?: Record<string, Value_Scalar>;
  limits?: Record<string, Value_Scalar>;
}

/** mesos.v1.quota.QuotaStatus */
export interface QuotaStatus {
  configs?: QuotaConfig[];
}
