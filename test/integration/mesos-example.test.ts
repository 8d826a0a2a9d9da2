/**
 * The example Mesos framework (examples/mesos-framework, Python, written against the Mesos v1
 * API alone) pointed at kmesos with no change: it runs its tasks to TASK_FINISHED,
 * acknowledging every update, and exits 0.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freshScenarioEachTest, type Scenario } from './operator-harness.js';
import { kubeConfig } from './support.js';

const run = promisify(execFile);
const kc = kubeConfig();
const framework = resolve(import.meta.dirname, '../../examples/mesos-framework/sleep_framework.py');

describe('the example Mesos framework', () => {
  let s!: Scenario;
  freshScenarioEachTest(kc, (x) => (s = x));

  it('runs its sleep tasks on kmesos to TASK_FINISHED and exits 0', async () => {
    await s.nodes(2, { cpu: '2', memory: '4Gi' });
    const operator = await s.startOperator(['--mesos-anonymous=true']);
    const { stdout, stderr } = await run(
      'python3',
      [
        framework,
        '--master',
        operator.url,
        '--tasks',
        '4',
        '--sleep',
        '1',
        '--timeout',
        '120',
        // On simulated nodes no process runs: these labels, passed on to the pods, tell kwok how it ends.
        '--label',
        'kmesos.io/fake-exit-code=0',
        '--label',
        'kmesos.io/fake-run-duration=1s',
      ],
      { timeout: 150_000 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary).toMatchObject({ finished: 4, failed: 0 });
    // Each task: RUNNING and FINISHED, both acknowledged.
    expect(summary.acknowledged).toBe(8);
    expect(stderr).not.toMatch(/ERROR event/);
    expect(operator.errors()).toEqual([]);
  });
});
