import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** A child process whose output goes to a log file, stopped with SIGTERM then SIGKILL. */
export class ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  private readonly child: ChildProcess;
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  /**
   * With `ownProcessGroup`, the child starts a session of its own: a signal sent to the caller's
   * process group (a terminal's Ctrl-C) does not reach it, and the caller stops it in its turn.
   */
  constructor(name: string, command: string, args: string[], logPath: string, ownProcessGroup = false) {
    this.name = name;
    this.logPath = logPath;
    const log = openSync(logPath, 'a');
    this.child = spawn(command, args, { stdio: ['ignore', log, log], detached: ownProcessGroup });
    closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(this.exitCode);
      });
      this.child.on('error', () => {
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process has ended, for whatever reason. */
  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the process as a crash would (SIGKILL) and waits until it has. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** For process 'exit' handlers, which cannot wait. */
  killNow(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }
}

/** Kills `child` with SIGKILL if this process exits while it still runs (an error, Ctrl-C). */
export function killOnExit(child: ChildProcess): void {
  const killNow = (): void => void child.kill('SIGKILL');
  process.once('exit', killNow);
  child.once('exit', () => process.removeListener('exit', killNow));
}

/**
 * Node's flags that kmesos' image entrypoint gives the operator (Dockerfile,
 * scripts/build-image.sh, scripts/run.sh); local runs and the benchmarks start it the same way.
 */
export const OPERATOR_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];
