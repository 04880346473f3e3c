// Growable typed arrays: a sample costs its 8 (or 1) bytes and no object, so a million samples stay a few
// megabytes and never reach the garbage collector's per-object bookkeeping.

const INITIAL = 4096;

/** Doubling while small, then +50 %: amortised O(1) pushes without reserving twice the memory of a huge run. */
function nextCapacity(current: number): number {
  return current < 1 << 20 ? current * 2 : Math.ceil(current * 1.5);
}

export class Float64Column {
  #data = new Float64Array(INITIAL);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Float64Array(nextCapacity(this.#data.length));
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  /** A live view (no copy) of the pushed values; sorting it sorts the column. */
  view(): Float64Array {
    return this.#data.subarray(0, this.#length);
  }
}

export class Uint8Column {
  #data = new Uint8Array(INITIAL);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Uint8Array(nextCapacity(this.#data.length));
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }

  view(): Uint8Array {
    return this.#data.subarray(0, this.#length);
  }
}
