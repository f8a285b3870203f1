// user: a local account through useradd/usermod/userdel with Ansible's semantics: uid,
// primary group, supplementary groups (append or exact), comment, home (move_home),
// shell, password hash (update_password), expiry, lock, home creation, an SSH key; the
// result carries uid/group/comment/home/shell as they are after the run.
import { posix } from 'node:path';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target, withOutputLines } from '../files/target.js';
import { allGroups, getGroup, getPasswd, getShadow, type PasswdEntry } from './accounts.js';

export interface UserArgs {
  state: 'absent' | 'present';
  name: string;
  uid?: number | null;
  non_unique: boolean;
  group?: string | null;
  groups?: string[] | null;
  comment?: string | null;
  home?: string | null;
  shell?: string | null;
  password?: string | null;
  login_class?: string | null;
  password_expire_max?: number | null;
  password_expire_min?: number | null;
  hidden?: boolean | null;
  seuser?: string | null;
  force: boolean;
  remove: boolean;
  create_home: boolean;
  skeleton?: string | null;
  system: boolean;
  move_home: boolean;
  append: boolean;
  generate_ssh_key?: boolean | null;
  ssh_key_bits: number;
  ssh_key_type: string;
  ssh_key_file?: string | null;
  ssh_key_comment?: string | null;
  ssh_key_passphrase?: string | null;
  update_password: 'always' | 'on_create';
  expires?: number | null;
  password_lock?: boolean | null;
  local?: boolean | null;
  profile?: string | null;
  authorization?: string | null;
  role?: string | null;
  umask?: string | null;
}

type Ran = { rc: number; stdout: string; stderr: string } | undefined;

class User {
  readonly target: Target;
  /** A home directory made before useradd ran, to be given to the new user. */
  chownHome: string | undefined;

  constructor(
    readonly args: UserArgs,
    readonly ctx: ModuleContext,
  ) {
    this.target = new Target(ctx);
  }

  get local() {
    return this.args.local === true;
  }

  tool(name: string) {
    return this.local ? `l${name}` : name;
  }

  info(): Promise<PasswdEntry | undefined> {
    return getPasswd(this.target, this.args.name, this.local);
  }

  async requireGroup(group: string): Promise<number> {
    const entry = await getGroup(this.target, group, this.local);
    if (!entry) throw new ModuleFailure(`Group ${group} does not exist`);
    return entry.gid;
  }

  /** The supplementary groups asked for, each checked to exist. */
  async wantedGroups(): Promise<Set<string>> {
    const wanted = new Set<string>();
    for (const group of (this.args.groups ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean)) {
      const entry = await getGroup(this.target, group, this.local);
      if (!entry) throw new ModuleFailure(`Group ${group} does not exist`);
      wanted.add(entry.name);
    }
    return wanted;
  }

  /** Supplementary groups the user is a member of (the primary group left out). */
  async currentGroups(primaryGid: number): Promise<Set<string>> {
    const groups = await allGroups(this.target);
    return new Set(groups.filter((g) => g.members.includes(this.args.name) && g.gid !== primaryGid).map((g) => g.name));
  }

  async create(): Promise<Ran> {
    const a = this.args;
    const argv = [this.tool('useradd')];
    if (a.uid !== undefined && a.uid !== null) {
      argv.push('-u', String(a.uid));
      if (a.non_unique) argv.push('-o');
    }
    if (a.seuser) argv.push('-Z', a.seuser);
    if (a.group) {
      await this.requireGroup(a.group);
      argv.push('-g', a.group);
    } else if (await getGroup(this.target, a.name, this.local)) {
      // A group named like the user exists: useradd would fail creating it.
      argv.push('-N');
    }
    if (a.groups !== undefined && a.groups !== null) {
      const groups = await this.wantedGroups();
      if (groups.size) argv.push('-G', [...groups].join(','));
    }
    if (a.comment !== undefined && a.comment !== null) argv.push('-c', a.comment);
    if (a.home) {
      // useradd cannot create missing parents: the home is made first (as Ansible does), owned later.
      if (a.create_home && (await this.target.sh('[ -d "$(dirname -- "$1")" ]', [a.home])).rc !== 0) {
        await createHomedir(this.target, a.home, a.skeleton ?? undefined);
        this.chownHome = a.home;
      }
      argv.push('-d', a.home);
    }
    if (a.shell) argv.push('-s', a.shell);
    if (a.expires !== undefined && a.expires !== null) argv.push('-e', a.expires < 0 ? '' : new Date(a.expires * 1000).toISOString().slice(0, 10));
    if (a.password) argv.push('-p', a.password);
    if (a.create_home) {
      argv.push('-m');
      if (a.skeleton) argv.push('-k', a.skeleton);
      if (a.umask) argv.push('-K', `UMASK=${a.umask}`);
    } else argv.push('-M');
    if (a.system) argv.push('-r');
    argv.push(a.name);
    const ran = await this.target.run(argv);
    if (ran.rc === 0 && this.chownHome) {
      const info = await this.info();
      if (info) await this.target.run(['chown', '-R', `${info.uid}:${info.gid}`, this.chownHome]);
    }
    if (ran.rc === 0 && a.password_lock === true) await this.target.run([this.tool('usermod'), '-L', a.name]);
    return ran;
  }

  async modify(info: PasswdEntry): Promise<Ran> {
    const a = this.args;
    const argv = [this.tool('usermod')];
    if (a.uid !== undefined && a.uid !== null && info.uid !== a.uid) {
      argv.push('-u', String(a.uid));
      if (a.non_unique) argv.push('-o');
    }
    if (a.group) {
      const gid = await this.requireGroup(a.group);
      if (info.gid !== gid) argv.push('-g', a.group);
    }
    if (a.groups !== undefined && a.groups !== null) {
      const current = await this.currentGroups(a.group ? await this.requireGroup(a.group) : info.gid);
      const wanted = await this.wantedGroups();
      const missing = [...wanted].filter((g) => !current.has(g));
      const extra = [...current].filter((g) => !wanted.has(g));
      if (missing.length || (!a.append && extra.length)) {
        if (a.append) argv.push('-a');
        argv.push('-G', [...wanted].join(','));
      }
    }
    if (a.comment !== undefined && a.comment !== null && info.comment !== a.comment) argv.push('-c', a.comment);
    if (a.home && info.home !== a.home) {
      argv.push('-d', a.home);
      if (a.move_home) argv.push('-m');
    }
    if (a.shell && info.shell !== a.shell) argv.push('-s', a.shell);
    const shadow = a.password || (a.expires !== undefined && a.expires !== null) || a.password_lock != null ? await getShadow(this.target, a.name) : undefined;
    if (a.expires !== undefined && a.expires !== null && shadow) {
      const currentDays = shadow[6] ? Number(shadow[6]) : undefined;
      const wantedDays = a.expires < 0 ? undefined : Math.floor(a.expires / 86400);
      if (currentDays !== wantedDays) argv.push('-e', wantedDays === undefined ? '' : new Date(a.expires * 1000).toISOString().slice(0, 10));
    }
    if (a.password_lock != null && shadow) {
      const locked = shadow[0]!.startsWith('!');
      if (a.password_lock && !locked) argv.push('-L');
      else if (!a.password_lock && locked) argv.push('-U');
    }
    if (a.update_password === 'always' && a.password && shadow && shadow[0] !== a.password) {
      // -p replaces -L/-U: a lock asked for goes into the hash itself.
      for (const flag of ['-L', '-U']) if (argv.includes(flag)) argv.splice(argv.indexOf(flag), 1);
      argv.push('-p', a.password_lock ? `!${a.password}` : a.password);
    }
    if (argv.length === 1) return undefined;
    if (this.ctx.checkMode) return { rc: 0, stdout: '', stderr: '' };
    argv.push(a.name);
    return this.target.run(argv);
  }

  async remove(): Promise<Ran> {
    const argv = [this.tool('userdel')];
    if (this.args.force && !this.local) argv.push('-f');
    if (this.args.remove) argv.push('-r');
    argv.push(this.args.name);
    return this.target.run(argv);
  }

  async passwordExpiry(): Promise<Ran> {
    const { password_expire_max: max, password_expire_min: min } = this.args;
    if ((max === undefined || max === null) && (min === undefined || min === null)) return undefined;
    const shadow = await getShadow(this.target, this.args.name);
    const argv = ['chage'];
    if (max !== undefined && max !== null && Number(shadow?.[3]) !== max) argv.push('-M', String(max));
    if (min !== undefined && min !== null && Number(shadow?.[2]) !== min) argv.push('-m', String(min));
    if (argv.length === 1) return undefined;
    if (this.ctx.checkMode) return { rc: 0, stdout: '', stderr: '' };
    return this.target.run([...argv, this.args.name]);
  }

  async sshKey(home: string, info: PasswdEntry, result: ModuleResult): Promise<void> {
    const a = this.args;
    const file = a.ssh_key_file ? (a.ssh_key_file.startsWith('/') ? a.ssh_key_file : posix.join(home, a.ssh_key_file)) : posix.join(home, '.ssh', `id_${a.ssh_key_type}`);
    const exists = (await this.target.stat(file)) !== undefined;
    if (!exists) {
      if (!this.ctx.checkMode) {
        const argv = ['ssh-keygen', '-t', a.ssh_key_type];
        if (a.ssh_key_bits > 0) argv.push('-b', String(a.ssh_key_bits));
        const comment = a.ssh_key_comment ?? `ansible-generated on ${(await this.target.run(['hostname'])).stdout.trim()}`;
        argv.push('-C', comment, '-f', file, '-N', a.ssh_key_passphrase ?? '', '-q');
        const dir = posix.dirname(file);
        await this.target.sh('[ -d "$1" ] || { mkdir -p -- "$1" && chmod 0700 -- "$1" && chown "$2:$3" -- "$1"; }', [dir, String(info.uid), String(info.gid)]);
        const made = await this.target.run(argv, { stdin: 'n\n' });
        if (made.rc !== 0) throw new ModuleFailure(made.stderr, { name: a.name, rc: made.rc });
        await this.target.run(['chown', `${info.uid}:${info.gid}`, file, `${file}.pub`]);
      }
      result.changed = true;
    }
    const fingerprint = await this.target.run(['ssh-keygen', '-l', '-f', file]);
    result.ssh_fingerprint = fingerprint.rc === 0 ? fingerprint.stdout.trim() : fingerprint.stderr.trim();
    result.ssh_key_file = file;
    const pub = await this.target.sh('cat -- "$1" 2>/dev/null', [`${file}.pub`]);
    result.ssh_public_key = pub.rc === 0 ? pub.stdout.trim() : null;
  }
}

// $1 home, $2 skeleton: the directory with the skeleton's files, mode from HOME_MODE or UMASK in login.defs.
const CREATE_HOMEDIR_SCRIPT = `mkdir -p -- "$1" || exit 1
[ ! -d "$2" ] || cp -a "$2"/. "$1"/ || exit 1
m=$(awk '$1 == "HOME_MODE" { print $2; exit }' /etc/login.defs 2>/dev/null)
if [ -z "$m" ]; then u=$(awk '$1 == "UMASK" { print $2; exit }' /etc/login.defs 2>/dev/null); m=$(printf '%o' $(( 0777 & ~0\${u:-22} ))); fi
chmod "$m" -- "$1"`;

async function createHomedir(target: Target, home: string, skeleton: string | undefined): Promise<void> {
  await target.shOk('could not create the home directory', CREATE_HOMEDIR_SCRIPT, [home, skeleton ?? '/etc/skel']);
}

export async function runUser(args: UserArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const params = { ...args };
  const target = new Target(ctx);
  if (params.home) params.home = await target.expandPath(params.home);
  if (params.password && !/^\$|^!|^\*|^x$/.test(params.password) && params.password.length < 13) {
    ctx.warn('The input password appears not to have been hashed. The \'password\' argument must be encrypted for this module to work properly.');
  }
  const user = new User(params, ctx);
  const result: ModuleResult = { name: params.name, state: params.state };
  let ran: Ran;
  const existing = await user.info();
  if (params.state === 'absent') {
    if (existing) {
      if (ctx.checkMode) return { changed: true };
      const removed = await user.remove();
      ran = removed;
      if (removed!.rc !== 0) throw new ModuleFailure(removed!.stderr, { name: params.name, rc: removed!.rc });
      result.force = params.force;
      result.remove = params.remove;
    }
  } else {
    if (!existing) {
      if (ctx.checkMode) return { changed: true };
      ran = await user.create();
      result.system = params.system;
      result.create_home = params.create_home;
    } else {
      ran = await user.modify(existing);
      result.append = params.append;
      result.move_home = params.move_home;
    }
    if (ran && ran.rc !== 0) throw new ModuleFailure(ran.stderr, { name: params.name, rc: ran.rc });
    if (params.password !== undefined && params.password !== null) result.password = 'NOT_LOGGING_PASSWORD';
  }
  result.changed = ran !== undefined;
  if (ran?.stdout) result.stdout = ran.stdout;
  if (ran?.stderr) result.stderr = ran.stderr;
  const info = params.state === 'present' ? await user.info() : undefined;
  if (info) {
    Object.assign(result, { uid: info.uid, group: info.gid, comment: info.comment, home: info.home, shell: info.shell });
    if (params.groups !== undefined && params.groups !== null) result.groups = params.groups.join(',');
    const home = params.home ?? info.home;
    if (params.create_home && (await target.stat(home, { follow: true })) === undefined) {
      if (!ctx.checkMode) {
        await createHomedir(target, home, params.skeleton ?? undefined);
        await target.run(['chown', '-R', `${info.uid}:${info.gid}`, home]);
      }
      result.changed = true;
    }
    if (params.generate_ssh_key) await user.sshKey(home, info, result);
    const expiry = await user.passwordExpiry();
    if (expiry) {
      if (expiry.rc !== 0) throw new ModuleFailure(expiry.stderr, { name: params.name, rc: expiry.rc });
      result.changed = true;
    }
  }
  return result;
}

export const userModule: ModuleDefinition<UserArgs> = {
  name: 'ansible.builtin.user',
  argSpec: {
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    name: { type: 'str', required: true, aliases: ['user'] },
    uid: { type: 'int' },
    non_unique: { type: 'bool', default: false },
    group: { type: 'str' },
    groups: { type: 'list', elements: 'str' },
    comment: { type: 'str' },
    home: { type: 'path' },
    shell: { type: 'str' },
    password: { type: 'str', noLog: true },
    login_class: { type: 'str' },
    password_expire_max: { type: 'int' },
    password_expire_min: { type: 'int' },
    hidden: { type: 'bool' },
    seuser: { type: 'str' },
    force: { type: 'bool', default: false },
    remove: { type: 'bool', default: false },
    create_home: { type: 'bool', default: true, aliases: ['createhome'] },
    skeleton: { type: 'str' },
    system: { type: 'bool', default: false },
    move_home: { type: 'bool', default: false },
    append: { type: 'bool', default: false },
    generate_ssh_key: { type: 'bool' },
    ssh_key_bits: { type: 'int', default: 0 },
    ssh_key_type: { type: 'str', default: 'rsa' },
    ssh_key_file: { type: 'path' },
    ssh_key_comment: { type: 'str' },
    ssh_key_passphrase: { type: 'str', noLog: true },
    update_password: { type: 'str', default: 'always', choices: ['always', 'on_create'] },
    expires: { type: 'float' },
    password_lock: { type: 'bool' },
    local: { type: 'bool' },
    profile: { type: 'str' },
    authorization: { type: 'str' },
    role: { type: 'str' },
    umask: { type: 'str' },
  },
  supportsCheckMode: true,
  run: async (args, ctx) => withOutputLines(await runUser(args, ctx)),
};
