/** Most slots in use before the table doubles: keeps probe sequences short. */
const maxLoad = 0.75;
/** 1 MiB: skips the first doublings, which every file of more than a few thousand rows would go through. */
const initialCapacity = 65_536;
/** Marks a free slot; no E.164 number is 0 (a calling code never starts with 0). */
const free = 0;

/** Spreads the 50-bit numbers over the table whatever their pattern (consecutive, same prefix). */
function hash(key: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / 2 ** 32);
  let mixed = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/**
 * The phone numbers seen so far and the line each was first seen on, for finding duplicates in files of
 * millions of rows. Keys are the E.164 digits as a JS number (E.164 allows at most 15 digits, which a double holds
 * exactly) in an open-addressing table, each slot a number and its line side by side in one typed array (one cache
 * miss per look-up): 16 bytes a slot, ~32 MB for a million numbers, out of the garbage-collected heap. A `Map` held a boxed number per key (~45 MB a million) and was a fifth of the time
 * of checking a row.
 */
export class SeenNumbers {
  /** Slot i holds its number at 2i (0 when free) and the line it was first seen on at 2i + 1. */
  #slots = new Float64Array(initialCapacity * 2);
  #capacity = initialCapacity;
  #size = 0;

  /** Remembers `e164` as seen on `line`; if it was seen before, returns that first line instead. */
  firstLineOrRemember(e164: string, line: number): number | undefined {
    const key = Number(e164.slice(1));
    if (!Number.isSafeInteger(key) || key <= 0) throw new RangeError(`not an E.164 number: ${e164}`);
    const at = this.#indexOf(key);
    if (this.#slots[at] === key) return this.#slots[at + 1];
    this.#slots[at] = key;
    this.#slots[at + 1] = line;
    this.#size += 1;
    if (this.#size > this.#capacity * maxLoad) this.#grow();
    return undefined;
  }

  /** Where in #slots the slot holding `key` starts, or the free slot where it belongs. */
  #indexOf(key: number): number {
    const mask = this.#capacity - 1;
    let slot = hash(key) & mask;
    for (;;) {
      const held = this.#slots[slot * 2];
      if (held === key || held === free) return slot * 2;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity *= 2;
    this.#slots = new Float64Array(this.#capacity * 2);
    for (let at = 0; at < old.length; at += 2) {
      const key = old[at] ?? free;
      if (key === free) continue;
      const to = this.#indexOf(key);
      this.#slots[to] = key;
      this.#slots[to + 1] = old[at + 1] ?? 0;
    }
  }
}
