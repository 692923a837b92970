// Seeded pseudo-random numbers: the emulator must hand out the same ids, tokens and result orders
// for the same seed, so that a failing test can be replayed exactly.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast and good enough for test data (not for secrets). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  base62(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += BASE62[this.int(62)];
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** Independent streams per purpose, so issuing a token never shifts the next record Id. */
export function prngStreams(seed: number): { ids: Prng; tokens: Prng; shuffles: Prng } {
  return {
    ids: new Prng(seed ^ 0x1d5eed),
    tokens: new Prng(seed ^ 0x70ca11),
    shuffles: new Prng(seed ^ 0x5fff1e),
  };
}
