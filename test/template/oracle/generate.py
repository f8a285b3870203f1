#!/usr/bin/python3
"""Records ansible-core's results for cases.yml into ../data/oracle-expected.json.

Run from anywhere with the interpreter ansible-core is installed for:
    /usr/bin/python3 test/template/oracle/generate.py
Paths under the fixtures folder are stored as <FIXTURES> so the data is machine-independent.
"""
import json
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, '..', 'fixtures'))
OUT = os.path.normpath(os.path.join(HERE, '..', 'data', 'oracle-expected.json'))


def main():
    with open(os.path.join(HERE, 'cases.yml')) as f:
        spec = yaml.safe_load(f)
    flat = []
    for group, cases in spec['cases'].items():
        for case in cases:
            flat.append({'group': group, 'template': case['t'], 'mode': case.get('m', 'arg'), **({'check': case['c']} if 'c' in case else {})})
    request = {'vars': spec['vars'], 'searchpath': [FIXTURES],
               'cases': [{'template': c['template'], 'mode': c['mode']} for c in flat]}
    env = dict(os.environ, TSPLAY_TEST_ENV='from-env', HOME='/root', ANSIBLE_NOCOLOR='1')
    proc = subprocess.run([sys.executable, os.path.join(HERE, 'ansible_render.py')], input=json.dumps(request),
                          capture_output=True, text=True, env=env, cwd=FIXTURES, check=True)
    results = json.loads(proc.stdout)
    text = json.dumps({'vars': spec['vars'], 'cases': [dict(c, expected=r) for c, r in zip(flat, results)]},
                      indent=1, ensure_ascii=False)
    text = text.replace(FIXTURES, '<FIXTURES>')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        f.write(text + '\n')
    print('%d cases recorded in %s' % (len(flat), OUT))


main()
