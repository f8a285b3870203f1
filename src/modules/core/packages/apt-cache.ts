// What apt and dpkg on the target know about packages, asked with dpkg-query and
// apt-cache (no python-apt needed there): installed state and version, the candidate
// apt would pick, the version table, the providers of a virtual package, and the
// time stamp of the last cache update.
import type { Target } from '../files/target.js';
import { compareDebVersions } from './deb-version.js';
import { fnmatch } from './fnmatch.js';

/** The locale and front end Ansible's apt module runs apt-get and dpkg with. */
export const APT_ENV: Record<string, string> = {
  DEBIAN_FRONTEND: 'noninteractive',
  DEBIAN_PRIORITY: 'critical',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  LC_MESSAGES: 'C.UTF-8',
  LC_CTYPE: 'C.UTF-8',
};

export interface PackageInfo {
  name: string;
  /** dpkg's db:Status-Abbrev (`ii `, `rc `...), empty when dpkg never heard of it. */
  status: string;
  installedVersion: string | undefined;
  /** apt's candidate (honouring pins and the default release); undefined when none. */
  candidate: string | undefined;
  /** Versions apt knows, highest first. */
  versions: string[];
  /** Packages that provide this name (for virtual packages). */
  providers: string[];
}

// $1 extra apt-cache option (or empty), then the package names. Per package, three
// NUL-terminated fields: dpkg-query status line, apt-cache policy, reverse provides.
const STATUS_SCRIPT = `opt=$1; shift
for p do
  dpkg-query -W -f='\${db:Status-Abbrev}\\t\${Version}\\n' -- "$p" 2>/dev/null | head -n 1; printf '\\0'
  if [ -n "$opt" ]; then apt-cache -o "$opt" policy -- "$p" 2>/dev/null; else apt-cache policy -- "$p" 2>/dev/null; fi; printf '\\0'
  apt-cache showpkg -- "$p" 2>/dev/null | sed -n '/^Reverse Provides:/,$p' | sed 1d; printf '\\0'
done`;

function parsePolicy(text: string): { candidate: string | undefined; versions: string[] } {
  const candidate = /^\s+Candidate: (\S+)/m.exec(text)?.[1];
  const versions: string[] = [];
  for (const m of text.matchAll(/^ (?:\*\*\*| {3}) (\S+) -?\d+$/gm)) versions.push(m[1]!);
  return { candidate: candidate === '(none)' ? undefined : candidate, versions };
}

export async function packageInfo(target: Target, names: readonly string[], defaultRelease?: string): Promise<Map<string, PackageInfo>> {
  const out = new Map<string, PackageInfo>();
  if (!names.length) return out;
  const option = defaultRelease ? `APT::Default-Release=${defaultRelease}` : '';
  const result = await target.sh(STATUS_SCRIPT, [option, ...names], { env: APT_ENV });
  const fields = result.stdout.split('\0');
  names.forEach((name, i) => {
    const [dpkg = '', policy = '', provides = ''] = fields.slice(i * 3, i * 3 + 3).map((f) => f.replace(/^\n/, ''));
    const [status = '', version] = dpkg.replace(/\n$/, '').split('\t');
    const { candidate, versions } = parsePolicy(policy);
    const providers = provides
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
    out.set(name, {
      name,
      status,
      installedVersion: status[1] === 'i' ? version : undefined,
      candidate,
      versions,
      providers: [...new Set(providers)],
    });
  });
  return out;
}

/** Known to apt (has versions): python-apt's `name in cache`. */
export const isKnown = (info: PackageInfo) => info.versions.length > 0 || info.candidate !== undefined || info.status[1] === 'i';
export const isInstalled = (info: PackageInfo) => info.status[1] === 'i';
/** Files of the package are on disk (installed, or removed with its configuration kept). */
export const hasFiles = (info: PackageInfo) => info.status !== '' && info.status[1] !== 'n';

export type VersionCompare = '=' | '>=' | undefined;

/** name, `=` or `>=`, version: Ansible's package_split. */
export function splitPackageSpec(spec: string): [string, VersionCompare, string | undefined] {
  const m = /^(.*?)(>?=)(.*)$/s.exec(spec);
  if (!m) return [spec, undefined, undefined];
  return [m[1]!, m[2] as VersionCompare, m[3]!];
}

/** The version apt would install for a spec: the candidate, or the best version the spec allows. */
export function bestMatch(info: PackageInfo, compare: VersionCompare, version: string | undefined): string | undefined {
  if (compare === '=') {
    // A version pin outranks everything, so the highest version matching the pattern wins.
    const pinned = info.versions.find((v) => fnmatch(v, version!));
    return pinned;
  }
  return info.candidate;
}

export interface PackageStatus {
  installed: boolean;
  /** Installed, and the installed version satisfies the spec. */
  versionInstalled: boolean;
  /** The version to install (a string), true for "let apt pick" (virtual packages), undefined when none. */
  installable: string | true | undefined;
  hasFiles: boolean;
}

/** Ansible's package_status for one spec, from the facts gathered by packageInfo. */
export function packageStatus(info: PackageInfo, compare: VersionCompare, version: string | undefined): PackageStatus {
  const installed = isInstalled(info);
  const best = bestMatch(info, compare, version);
  if (!installed) return { installed, versionInstalled: false, installable: best, hasFiles: hasFiles(info) };
  const current = info.installedVersion!;
  let versionInstalled = true;
  let installable: string | undefined;
  if (compare === '=') {
    versionInstalled = fnmatch(current, version!);
    if (best && current !== best && fnmatch(best, version!)) installable = best;
  } else if (compare === '>=') {
    versionInstalled = compareDebVersions(current, version!) >= 0;
    if (best && current !== best && compareDebVersions(best, version!) >= 0) installable = best;
  } else if (best && current !== best) installable = best;
  return { installed, versionInstalled, installable, hasFiles: hasFiles(info) };
}

// Prints the mtime (seconds) of apt's update stamp, else of its lists directory, else 0.
const CACHE_TIME_SCRIPT = `for f in /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists; do
  if [ -e "$f" ]; then stat -c %Y -- "$f"; exit 0; fi
done
echo 0`;

/** When the package lists were last updated (epoch seconds, 0 when never). */
export async function cacheUpdateTime(target: Target): Promise<number> {
  const result = await target.sh(CACHE_TIME_SCRIPT);
  return Number(result.stdout.trim()) || 0;
}

/** Every package name apt knows (for fnmatch patterns). */
export async function allPackageNames(target: Target): Promise<string[]> {
  const result = await target.run(['apt-cache', 'pkgnames'], { env: APT_ENV });
  return result.stdout.split('\n').filter(Boolean);
}
