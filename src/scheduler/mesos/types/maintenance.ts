// Generated from the mesos.v1.maintenance .proto by gen-types.ts: do not edit. To regenerate, run the
// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.

import type { MachineID, Unavailability } from './v1.js';

/** mesos.v1.maintenance.Window */
export interface Window {
  machine_ids?: MachineID[];
  unavailability: Unavailability;
}

/** mesos.v1.maintenance.Schedule */
export interface Schedule {
  windows?: Window[];
}

/** mesos.v1.maintenance.ClusterStatus */
export interface ClusterStatus {
  draining_machines?: ClusterStatus_DrainingMachine[];
  down_machines?: MachineID[];
}

/** mesos.v1.maintenance.ClusterStatus.DrainingMachine */
export interface ClusterStatus_DrainingMachine {
  id: MachineID;
}
