#!/usr/bin/python3
"""Oracle: renders templates with ansible-core's own Templar (the reference for tsplay's templating).

Input (stdin, JSON): {"vars": {...}, "cases": [{"template": "...", "mode": "arg"|"file"|"cond"|"data"}],
                      "searchpath": [...]}.
Output (stdout, JSON): one result per case: {"value": <json>, "type": "<python type>", "text": "<str()>"}
or {"error": "<ExceptionClass>: <message>"}.
Run with /usr/bin/python3 (the interpreter ansible-core is installed for).
"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, AnsibleEnvironment
from ansible.playbook.conditional import Conditional


def to_jsonable(value):
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def main():
    spec = json.load(sys.stdin)
    loader = DataLoader()
    searchpath = spec.get("searchpath") or []
    if searchpath:
        loader.set_basedir(searchpath[-1])
    variables = dict(spec.get("vars", {}))
    if searchpath:
        variables.setdefault("ansible_search_path", list(searchpath))
    templar = Templar(loader=loader, variables=variables)
    out = []
    for case in spec["cases"]:
        mode = case.get("mode", "arg")
        try:
            if mode == "file":
                paths = []
                for p in searchpath:
                    paths += [p + "/templates", p]
                t = templar.copy_with_new_env(environment_class=AnsibleEnvironment, searchpath=paths,
                                              available_variables=variables)
                value = t.do_template(case["template"], preserve_trailing_newlines=True, escape_backslashes=False)
            elif mode == "cond":
                c = Conditional(loader=loader)
                c.when = [case["template"]]
                value = c.evaluate_conditional(templar, variables)
            else:
                value = templar.template(case["template"])
            out.append({"value": to_jsonable(value), "type": type(value).__name__, "text": str(value)})
        except Exception as e:  # noqa: BLE001 - the error text is the expected result
            msg = "%s: %s" % (type(e).__name__, e)
            out.append({"error": msg if len(msg) < 2000 else msg[:1000] + " ... " + msg[-500:]})
    json.dump(out, sys.stdout)


main()
