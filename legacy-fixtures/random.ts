/**
 * Deterministic randomness and time for the fixture generator: the same seed
 * gives the same rows on every run and every machine (no Date.now()).
 */

/** mulberry32: a tiny 32-bit PRNG, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a string (FNV-1a). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** A UUID-shaped id (what the real app used for sessions and folders). */
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** A clock that only moves forward, by seeded amounts, from a fixed start; prints SQLite's CURRENT_TIMESTAMP format. */
export class Clock {
  private ms: number;

  constructor(
    start: string,
    private readonly rng: Rng,
  ) {
    this.ms = Date.parse(`${start}T09:00:00Z`);
    if (Number.isNaN(this.ms)) throw new Error(`bad clock start "${start}" (expected YYYY-MM-DD)`);
  }

  /** Jump to a later day (a new release shipped); never moves backwards. */
  advanceTo(day: string): void {
    const target = Date.parse(`${day}T09:00:00Z`);
    if (target > this.ms) this.ms = target;
  }

  /** Move forward between min and max seconds and return the new time. */
  tick(minSeconds = 1, maxSeconds = 600): string {
    this.ms += this.rng.int(minSeconds, maxSeconds) * 1000;
    return this.now();
  }

  now(): string {
    return new Date(this.ms).toISOString().replace('T', ' ').slice(0, 19);
  }
}
