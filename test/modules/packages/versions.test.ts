// Debian version ordering and fnmatch patterns, checked against dpkg itself and
// Python's fnmatch on this machine.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareDebVersions } from '../../../src/modules/core/packages/deb-version.js';
import { fnmatch } from '../../../src/modules/core/packages/fnmatch.js';

const PAIRS: [string, string][] = [
  ['1.0', '1.0'], ['1.0', '1.1'], ['1.0~rc1', '1.0'], ['1.0-1', '1.0-2'], ['1:0.9', '2.0'], ['2.10', '2.9'],
  ['1.0a', '1.0'], ['1.0+b1', '1.0'], ['1.22.1-9', '1.22.1-9+deb12u1'], ['0~20200101', '0'], ['1.0-1~bpo1', '1.0-1'], ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12'],
];

describe('compareDebVersions', () => {
  it('orders versions as dpkg --compare-versions does', () => {
    for (const [a, b] of PAIRS) {
      const dpkg = (op: string) => {
        try {
          execFileSync('dpkg', ['--compare-versions', a, op, b]);
          return true;
        } catch {
          return false;
        }
      };
      const expected = dpkg('lt') ? -1 : dpkg('eq') ? 0 : 1;
      expect([a, b, Math.sign(compareDebVersions(a, b))]).toEqual([a, b, expected]);
    }
  });
});

describe('fnmatch', () => {
  it("matches as Python's fnmatch", () => {
    const cases: [string, string][] = [['nginx-core', 'nginx*'], ['nginx', 'ngin?'], ['libc6', 'lib[a-c]*'], ['libz', 'lib[!a-c]*'], ['1.2.3-1', '1.2.*'], ['a.b', 'a?b'], ['x[y', 'x[y']];
    const script = `import fnmatch, json, sys\nprint(json.dumps([fnmatch.fnmatchcase(n, p) for n, p in json.loads(sys.argv[1])]))`;
    const python = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(cases)]).toString()) as boolean[];
    expect(cases.map(([n, p]) => fnmatch(n, p))).toEqual(python);
  });
});
