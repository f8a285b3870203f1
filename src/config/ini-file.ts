// ansible.cfg is read with Python's configparser (inline comments after ` ;`, full-line
// `#`/`;` comments, `key = value` or `key: value`, lowercase keys, indented continuation
// lines, a [DEFAULT] section seen by all others, no duplicate sections or keys). This
// reader follows it, including the wording of its errors, which Ansible prints.

export class IniSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IniSyntaxError';
  }
}

const DEFAULT_SECTION = 'DEFAULT';
const COMMENT_PREFIXES = ['#', ';'];
const INLINE_COMMENT_PREFIXES = [';'];
const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/s;

/** Python repr() of a str, as configparser quotes lines and names in its messages. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += `\\${ch}`;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else body += ch;
  }
  return `${quote}${body}${quote}`;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

export class IniFile {
  private readonly sections = new Map<string, Map<string, string>>();
  private readonly defaults = new Map<string, string>();

  /** Parse text as configparser.read_string does (source name `<string>` in errors). */
  static parse(text: string, source = '<string>'): IniFile {
    const file = new IniFile();
    file.read(text, source);
    return file;
  }

  /** The raw value of `key` in `section` (or [DEFAULT]); undefined when absent. */
  get(section: string, key: string): string | undefined {
    const name = key.toLowerCase();
    if (section === DEFAULT_SECTION) return this.defaults.get(name);
    const values = this.sections.get(section);
    if (!values) return undefined;
    return values.get(name) ?? this.defaults.get(name);
  }

  /** Keys visible in a section (its own, then [DEFAULT]'s), lowercased as configparser stores them. */
  keys(section: string): string[] {
    const own = section === DEFAULT_SECTION ? [] : [...(this.sections.get(section)?.keys() ?? [])];
    return [...new Set([...own, ...this.defaults.keys()])];
  }

  hasSection(section: string): boolean {
    return this.sections.has(section);
  }

  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  private read(text: string, source: string): void {
    // Lines keep their newline, as Python iterates them; configparser shows them in errors.
    const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const collected = new Map<Map<string, string>, Map<string, string[] | null>>();
    const added = new Set<string>();
    let current: Map<string, string[] | null> | undefined;
    let currentTarget: Map<string, string> | undefined;
    let sectionName = '';
    let optionName: string | undefined;
    let indentLevel = 0;
    const errors: string[] = [];

    lines.forEach((line, index) => {
      const lineno = index + 1;
      let commentStart = Infinity;
      for (const prefix of INLINE_COMMENT_PREFIXES) {
        let at = line.indexOf(prefix);
        while (at >= 0) {
          if (at === 0 || isSpace(line[at - 1])) {
            commentStart = Math.min(commentStart, at);
            break;
          }
          at = line.indexOf(prefix, at + 1);
        }
      }
      if (COMMENT_PREFIXES.some((p) => line.trim().startsWith(p))) commentStart = 0;
      const value = (commentStart === Infinity ? line : line.slice(0, commentStart)).trim();
      if (!value) {
        // a blank line inside a multi-line value is kept (unless it held a comment)
        if (commentStart === Infinity && current && optionName && current.get(optionName)) {
          current.get(optionName)!.push('');
        }
        return;
      }
      const firstNonSpace = line.search(/\S/);
      const curIndent = firstNonSpace < 0 ? 0 : firstNonSpace;
      if (current && optionName && curIndent > indentLevel) {
        current.get(optionName)?.push(value);
        return;
      }
      indentLevel = curIndent;
      const section = SECTION.exec(value);
      if (section) {
        sectionName = section[1]!;
        if (this.sections.has(sectionName)) {
          if (added.has(sectionName)) {
            throw new IniSyntaxError(
              `While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: section ${pyRepr(sectionName)} already exists`,
            );
          }
          currentTarget = this.sections.get(sectionName)!;
          added.add(sectionName);
        } else if (sectionName === DEFAULT_SECTION) {
          currentTarget = this.defaults;
        } else {
          currentTarget = new Map();
          this.sections.set(sectionName, currentTarget);
          added.add(sectionName);
        }
        if (!collected.has(currentTarget)) collected.set(currentTarget, new Map());
        current = collected.get(currentTarget);
        optionName = undefined;
        return;
      }
      if (!current) {
        throw new IniSyntaxError(`File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`);
      }
      const option = OPTION.exec(value);
      if (!option || !option[1]) {
        errors.push(`\n\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
        return;
      }
      optionName = option[1].trimEnd().toLowerCase();
      const addedKey = `${sectionName}\0${optionName}`;
      if (added.has(addedKey)) {
        throw new IniSyntaxError(
          `While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: option ${pyRepr(optionName)} in section ${pyRepr(sectionName)} already exists`,
        );
      }
      added.add(addedKey);
      current.set(optionName, [option[3]!.trim()]);
    });

    for (const [target, values] of collected) {
      for (const [key, parts] of values) if (parts) target.set(key, parts.join('\n').trimEnd());
    }
    if (errors.length > 0) throw new IniSyntaxError(`Source contains parsing errors: ${pyRepr(source)}${errors.join('')}`);
  }
}
