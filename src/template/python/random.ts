// Python's `random.Random(seed)`: the Mersenne Twister with CPython's seeding, so a seeded
// `random` / `shuffle` filter or password lookup gives the numbers Ansible gives.
import { createHash, randomInt } from 'node:crypto';

const N = 624;
const M = 397;

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: unknown) {
    this.seed(seed);
  }

  private seed(seed: unknown): void {
    let key: bigint;
    if (typeof seed === 'number' && Number.isInteger(seed)) key = BigInt(Math.abs(seed));
    else if (typeof seed === 'bigint') key = seed < 0n ? -seed : seed;
    else {
      // Python 3 (version 2 seeding): str/bytes seeds are the bytes followed by their sha512.
      const bytes = Buffer.from(typeof seed === 'string' ? seed : String(seed), 'utf8');
      const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
      key = BigInt(`0x${all.toString('hex') || '0'}`);
    }
    const words: number[] = [];
    while (key > 0n) {
      words.push(Number(key & 0xffffffffn));
      key >>= 32n;
    }
    if (!words.length) words.push(0);
    this.initByArray(words);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private genrand(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.getrandbits(k) for k <= 53. */
  getrandbits(k: number): number {
    if (k <= 32) return this.genrand() >>> (32 - k);
    let result = 0;
    let shift = 1;
    let bits = k;
    while (bits > 0) {
      let r = this.genrand();
      if (bits < 32) r >>>= 32 - bits;
      result += r * shift;
      shift *= 2 ** 32;
      bits -= 32;
    }
    return result;
  }

  /** random._randbelow(n) */
  randbelow(n: number): number {
    if (n <= 0) return 0;
    const k = Math.floor(Math.log2(n)) + 1;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  random(): number {
    const a = this.genrand() >>> 5;
    const b = this.genrand() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  choice<T>(items: readonly T[]): T {
    return items[this.randbelow(items.length)]!;
  }

  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }
}

/** random.SystemRandom, for unseeded use. */
export const systemRandom = {
  randbelow: (n: number) => (n <= 0 ? 0 : randomInt(n)),
  choice<T>(items: readonly T[]): T {
    return items[randomInt(items.length)]!;
  },
  random: () => randomInt(2 ** 48) / 2 ** 48,
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  },
};

export type RandomSource = Pick<PyRandom, 'randbelow' | 'choice' | 'random' | 'shuffle'>;

export function randomSource(seed: unknown): RandomSource {
  return seed === null || seed === undefined ? systemRandom : new PyRandom(seed);
}
