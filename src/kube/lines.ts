/**
 * Splits text that arrives in chunks into lines, as a watch stream sends one JSON event per
 * line and a chunk may end anywhere in one. Empty lines are skipped.
 */
export class LineBuffer {
  private rest = '';

  /** Calls `line` for every line `chunk` completes, in order. */
  push(chunk: string, line: (text: string) => void): void {
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      this.rest += chunk;
      return;
    }
    const first = this.rest + chunk.slice(0, nl);
    this.rest = '';
    if (first !== '') line(first);
    let start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) !== -1) {
      if (nl > start) line(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.rest = chunk.slice(start);
  }

  /** Text after the last newline: not empty when a stream ended in the middle of a line. */
  get pending(): string {
    return this.rest;
  }
}
