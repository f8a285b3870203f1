// ansible.cfg syntax: tsplay's reader against Python's configparser as Ansible sets it up
// (ConfigParser(inline_comment_prefixes=(';',)), values read raw), run live.
import { describe, expect, it } from 'vitest';
import { IniFile, IniSyntaxError } from '../../src/config/ini-file.js';
import { runPython } from '../inventory/ansible-oracle.js';

const TEXTS = [
  '[defaults]\nforks = 10\n',
  '[defaults]\nforks = 10 ; inline comment\ntimeout = 5 # not a comment\nuser=a;b\n',
  '# comment\n; comment\n[defaults]\n  # indented comment\nkey: value\nKEY2 = Mixed Case\n',
  '[defaults]\nroles_path = a:\n  b\n\n  c\nnext = 1\n',
  '[defaults]\nmulti =\n   first\n   ; a comment line inside\n   second\n\n',
  '[defaults]\nforks = 10\nforks = 11\n',
  '[defaults]\n[defaults]\n',
  'forks = 10\n',
  '[defaults]\nforks\nbad line\n',
  '[DEFAULT]\ntimeout = 99\n[defaults]\nforks = 5\n[privilege_escalation]\nbecome = yes\n',
  '[defaults]\nempty =\nspaces =    \nquoted = "x y"\n',
  '[defaults]\na = 1 = 2\nb : c : d\nc=\n',
  '[ssh_connection]\nssh_args = -C -o ControlMaster=auto -o ControlPersist=60s\n[Defaults]\nforks = 3\n',
  '[defaults] trailing text\nx = 1\n',
  '\n\n[defaults]\n\tx = tab indented\n',
  '[defaults]\nx = 1\n  continued\ny = 2\n[other]\n  z = 3\n',
];

describe('ansible.cfg reader (configparser rules)', () => {
  it('reads what configparser reads and rejects what it rejects, with its messages', async () => {
    const python = (await runPython(
      `
import configparser, json, sys
out = []
for text in json.load(sys.stdin):
    p = configparser.ConfigParser(inline_comment_prefixes=(';',))
    try:
        p.read_string(text)
    except configparser.Error as e:
        out.append({'error': str(e)}); continue
    sections = {name: {k: p.get(name, k, raw=True) for k in p[name]} for name in p.sections()}
    sections['DEFAULT'] = dict(p.defaults())
    out.append({'sections': sections})
print(json.dumps(out))
`,
      TEXTS,
    )) as unknown[];
    const mine = TEXTS.map((text) => {
      try {
        const file = IniFile.parse(text);
        const sections: Record<string, Record<string, string | undefined>> = {};
        for (const name of file.sectionNames()) {
          sections[name] = Object.fromEntries(file.keys(name).map((k) => [k, file.get(name, k)]));
        }
        sections.DEFAULT = Object.fromEntries(file.keys('DEFAULT').map((k) => [k, file.get('DEFAULT', k)]));
        return { sections };
      } catch (err) {
        if (!(err instanceof IniSyntaxError)) throw err;
        return { error: err.message };
      }
    });
    for (let i = 0; i < TEXTS.length; i++) expect({ text: TEXTS[i], ...(mine[i] as object) }).toEqual({ text: TEXTS[i], ...(python[i] as object) });
  });
});
