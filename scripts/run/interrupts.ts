/**
 * Ctrl-C and SIGTERM over a whole certification, not only while k6 runs: a signal between two k6 runs
 * (aggregating load figures, between capacity steps) must also end the run through cleanup, never
 * by Node's default exit with money still held. Handlers run in the order they were added; each gets
 * how many signals have arrived so far.
 */
export class Interrupts {
  private count = 0;
  private readonly handlers = new Set<(count: number) => void>();
  private readonly onSignal = (): void => {
    this.count += 1;
    for (const handler of [...this.handlers]) handler(this.count);
  };

  get received(): number {
    return this.count;
  }

  listen(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    this.handlers.clear();
  }

  /** Returns the function that removes the handler again. */
  on(handler: (count: number) => void): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }
}
