import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseKv } from '../../src/parsing/split-args.js';

// Ansible's own parse_kv is the oracle (python3 with the Debian ansible-core).
function ansibleParseKv(args: string[], freeForm: boolean): unknown[] {
  const script = [
    'import sys, json',
    'from ansible.parsing.splitter import parse_kv',
    'out = []',
    'for a in json.loads(sys.stdin.read()):',
    '    try: out.append(parse_kv(a, check_raw=' + (freeForm ? 'True' : 'False') + '))',
    '    except Exception as e: out.append("ERROR")',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(args) }).toString());
}

const CASES = [
  'msg=hello',
  'a=1 b=2',
  'msg="hello world" x=y',
  "msg='single quoted' other=\"d q\"",
  'msg={{ x }}',
  'msg="{{ x | default(\'a b\') }}"',
  'msg={{ foo | join(" ") }} extra=1',
  'echo hi there chdir=/tmp creates=/x',
  'echo "a  b"   c',
  'line="a=b" path=/etc/x',
  'key=a\\=b',
  'a\\=b',
  'src=a dest=b\nmode=0644',
  'cmd="multi\nline"',
  'x=1   y=2',
  'msg="esc\\"aped"',
  'var=item',
  '{% if x %}a{% endif %} b=c',
  'echo {# comment with space #} z',
  'path="/tmp/with space" state=touch',
  'name=foo state="present"',
  'x=\\u00e9',
  '  lead=1',
  'a=1 \\\n b=2',
];

describe('parseKv agrees with Ansible', () => {
  for (const freeForm of [false, true]) {
    const expected = ansibleParseKv(CASES, freeForm);
    CASES.forEach((args, i) => {
      it(`${freeForm ? 'free-form' : 'k=v'}: ${JSON.stringify(args)}`, () => {
        let actual: unknown;
        try {
          actual = parseKv(args, freeForm);
        } catch {
          actual = 'ERROR';
        }
        expect(actual).toEqual(expected[i]);
      });
    });
  }

  it('rejects unbalanced quotes and jinja blocks', () => {
    expect(() => parseKv('msg="open')).toThrow(/unbalanced/);
    expect(() => parseKv('msg={{ x')).toThrow(/unbalanced/);
  });
});
