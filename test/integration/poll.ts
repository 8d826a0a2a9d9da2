/**
 * Waiting for evidence instead of for time: a check that something did NOT happen is only
 * meaningful once the thing that would have done it has run since the cause.
 */
import type { OperatorProcess } from './operator-harness.js';
import { eventually } from './support.js';

const CYCLES = /^kmesos_allocation_cycle_duration_seconds_count(?:\{[^}]*\})? (\S+)$/m;

/** Allocation cycles the operator has completed, from its own /metrics. */
export async function cyclesRun(operator: OperatorProcess): Promise<number> {
  const text = await (await fetch(`${operator.url}/metrics`)).text();
  const m = CYCLES.exec(text);
  if (!m?.[1]) throw new Error('the operator exports no allocation cycle count');
  return Number(m[1]);
}

/**
 * Resolves once `count` more allocation cycles have completed. The first one counted may
 * have begun before the call, so ask for two to be sure a whole cycle saw the present state.
 */
export async function afterCycles(operator: OperatorProcess, count = 2, timeoutMs = 30_000): Promise<void> {
  const start = await cyclesRun(operator);
  await eventually(
    async () => {
      const now = await cyclesRun(operator);
      if (now < start + count) throw new Error(`${now - start} of ${count} cycles since ${start}`);
    },
    timeoutMs,
    50,
  );
}
