// The advice Ansible appends under "The offending line appears to be:" when the line
// looks like a common YAML mistake. The wording is Ansible's: users search for it.

export const HINT_KV_AND_YAML =
  "There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n";

export const HINT_LEADING_TAB = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`;

export const HINT_UNQUOTED_VARIABLE = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`;

export const HINT_DICT = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`;

export const HINT_UNQUOTED_COLON = `This one looks easy to fix. There seems to be an extra unquoted colon in the line
and this is confusing the parser. It was only expecting to find one free
colon. The solution is just add some quotes around the colon, or quote the
entire line after the first colon.

For instance, if the original line was:

    copy: src=file.txt dest=/path/filename:with_colon.txt

It can be written as:

    copy: src=file.txt dest='/path/filename:with_colon.txt'

Or:

    copy: 'src=file.txt dest=/path/filename:with_colon.txt'
`;

export const HINT_PARTIALLY_QUOTED = `This one looks easy to fix. It seems that there is a value started
with a quote, and the YAML parser is expecting to see the line ended
with the same kind of quote. For instance:

    when: "ok" in result.stdout

Could be written as:

   when: '"ok" in result.stdout'

Or equivalently:

   when: "'ok' in result.stdout"
`;

export const HINT_UNBALANCED_QUOTES = `We could be wrong, but this one looks like it might be an issue with
unbalanced quotes. If starting a value with a quote, make sure the
line ends with the same set of quotes. For instance this arbitrary
example:

    foo: "bad" "wolf"

Could be written as:

    foo: '"bad" "wolf"'
`;

/** The hints that apply to the offending line, in Ansible's order of checks. */
export function hintsFor(target: string, column: number): string {
  let out = '';
  if (target.includes('\t')) out += HINT_LEADING_TAB;
  const stripped = target.replace(/ /g, '');
  if (target.includes('{{') && target.includes('}}') && (!target.includes('"{{') || !target.includes("'{{"))) {
    out += HINT_UNQUOTED_VARIABLE;
  } else if (stripped.includes(':{{') && stripped.includes('}}')) {
    out += HINT_DICT;
  } else if (target.length > 1 && target.length > column && target[column] === ':' && target.split(':').length - 1 > 1) {
    out += HINT_UNQUOTED_COLON;
  } else {
    const parts = target.split(':');
    if (parts.length > 1) {
      const middle = parts[1]!.trim();
      const partially = (middle.startsWith("'") && !middle.endsWith("'")) || (middle.startsWith('"') && !middle.endsWith('"'));
      const count = (q: string) => target.split(q).length - 1;
      const unbalanced =
        (middle.length > 0 && ['"', "'"].includes(middle[0]!) && ['"', "'"].includes(middle[middle.length - 1]!) && count("'") > 2) ||
        count('"') > 2;
      if (partially) out += HINT_PARTIALLY_QUOTED;
      if (unbalanced) out += HINT_UNBALANCED_QUOTES;
    }
  }
  return out;
}
