// Scalar resolution with PyYAML's YAML 1.1 rules, as Ansible loads files.
// The `yaml` package's own 1.1 schema is close but not PyYAML: it reads `y`/`n` as
// booleans, `1e3` as a float and `08` as an int, where PyYAML (and so Ansible) keeps
// all three as strings. The regular expressions below are the implicit resolvers of
// the YAML 1.1 type repository as PyYAML implements them.
import type { ScalarTag } from 'yaml';
import { UnsafeText, VaultText } from './tagged.js';

const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Sexagesimal (base 60) digits as YAML 1.1 allows: 1:20 is 80. */
function base60(text: string): number {
  return text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

export function resolveInt(source: string): number {
  let text = source.replace(/_/g, '');
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text.startsWith('0b')) return sign * parseInt(text.slice(2), 2);
  if (text.startsWith('0x')) return sign * parseInt(text.slice(2), 16);
  if (text.startsWith('0')) return sign * parseInt(text.slice(1), 8);
  if (text.includes(':')) return sign * base60(text);
  return sign * parseInt(text, 10);
}

export function resolveFloat(source: string): number {
  let text = source.replace(/_/g, '').toLowerCase();
  if (text === '.nan') return NaN;
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1);
  }
  if (text === '.inf') return sign * Infinity;
  if (text.includes(':')) {
    const [whole, fraction] = text.split('.') as [string, string];
    return sign * (base60(whole) + Number(`0.${fraction || '0'}`));
  }
  return sign * Number(text);
}

const scalar = (tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag,
  default: true,
  test,
  resolve: (s: string) => resolve(s) as never,
  identify: () => false,
});

export const pyyamlTags: ScalarTag[] = [
  scalar('tag:yaml.org,2002:null', NULL, () => null),
  scalar('tag:yaml.org,2002:bool', BOOL_TRUE, () => true),
  scalar('tag:yaml.org,2002:bool', BOOL_FALSE, () => false),
  scalar('tag:yaml.org,2002:int', INT, resolveInt),
  scalar('tag:yaml.org,2002:float', FLOAT, resolveFloat),
  {
    tag: '!unsafe',
    resolve: (s: string) => new UnsafeText(s) as never,
    identify: (v: unknown) => v instanceof UnsafeText,
  },
  {
    tag: '!vault',
    resolve: (s: string) => new VaultText(s) as never,
    identify: (v: unknown) => v instanceof VaultText,
  },
  {
    // Ansible accepts the explicit !!str / !!int tags through PyYAML; the core
    // schema's collection and string tags are added by the loader.
    tag: 'tag:yaml.org,2002:int',
    resolve: (s: string) => resolveInt(s) as never,
    identify: () => false,
  },
  {
    tag: 'tag:yaml.org,2002:float',
    resolve: (s: string) => resolveFloat(s) as never,
    identify: () => false,
  },
];
