/**
 * Progress of long work: a bar redrawn in place when attached to a terminal, plain lines at each
 * tenth otherwise, so logs stay readable.
 */
export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #terminal = process.stderr.isTTY === true;
  #lastTenth = -1;

  constructor(label: string, total: number) {
    this.#label = label;
    this.#total = Math.max(total, 1);
  }

  update(done: number): void {
    const fraction = Math.min(done / this.#total, 1);
    if (this.#terminal) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r${this.#label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${this.#total}`,
      );
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
      process.stderr.write(`${this.#label}: ${done} of ${this.#total}\n`);
    }
  }

  done(count: number): void {
    this.update(count);
    if (this.#terminal) process.stderr.write('\n');
  }
}
