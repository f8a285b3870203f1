// Version comparison as Ansible's `version` test does it: distutils' LooseVersion and
// StrictVersion, and semantic versions.
import { pyCompare, pyEquals } from '../runtime/ops.js';
import { pyValueError } from '../runtime/errors.js';

export interface Comparable {
  compare(other: Comparable): number;
  equals(other: Comparable): boolean;
}

export class LooseVersion implements Comparable {
  readonly parts: (number | string)[];
  constructor(readonly text: string) {
    this.parts = text
      .split(/(\d+|[a-z]+|\.)/)
      .filter((x) => x && x !== '.')
      .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  }
  compare(other: Comparable): number {
    return pyCompare(this.parts, (other as LooseVersion).parts);
  }
  equals(other: Comparable): boolean {
    return pyEquals(this.parts, (other as LooseVersion).parts);
  }
}

export class StrictVersion implements Comparable {
  readonly version: [number, number, number];
  readonly prerelease: [string, number] | null;
  constructor(text: string) {
    const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(text);
    if (!m) throw pyValueError(`invalid version number '${text}'`);
    this.version = [Number(m[1]), Number(m[2]), m[4] ? Number(m[4]) : 0];
    this.prerelease = m[5] ? [m[5][0]!, Number(m[6])] : null;
  }
  compare(other: Comparable): number {
    const o = other as StrictVersion;
    const c = pyCompare(this.version, o.version);
    if (c !== 0) return c;
    if (!this.prerelease && !o.prerelease) return 0;
    if (!this.prerelease) return 1;
    if (!o.prerelease) return -1;
    return pyCompare(this.prerelease, o.prerelease);
  }
  equals(other: Comparable): boolean {
    return this.compare(other) === 0;
  }
}

export class SemanticVersion implements Comparable {
  readonly core: [number, number, number];
  readonly prerelease: (number | string)[];
  constructor(text: string) {
    const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/.exec(text);
    if (!m) throw pyValueError(`invalid semantic version '${text}'`);
    this.core = [Number(m[1]), Number(m[2]), Number(m[3])];
    this.prerelease = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  }
  compare(other: Comparable): number {
    const o = other as SemanticVersion;
    const c = pyCompare(this.core, o.core);
    if (c !== 0) return c;
    if (!this.prerelease.length && !o.prerelease.length) return 0;
    if (!this.prerelease.length) return 1;
    if (!o.prerelease.length) return -1;
    const n = Math.min(this.prerelease.length, o.prerelease.length);
    for (let i = 0; i < n; i++) {
      const a = this.prerelease[i]!;
      const b = o.prerelease[i]!;
      if (a === b) continue;
      if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : 1;
      if (typeof a === 'number') return -1;
      if (typeof b === 'number') return 1;
      return a < b ? -1 : 1;
    }
    return this.prerelease.length < o.prerelease.length ? -1 : this.prerelease.length > o.prerelease.length ? 1 : 0;
  }
  equals(other: Comparable): boolean {
    return this.compare(other) === 0;
  }
}
