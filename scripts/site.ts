// npm start: the main job. The article's site playbook, unchanged, on the embedded local
// cloud (no AWS account): play 1 (roles/ec2) launches web1 and web2 and records them in the
// private Route 53 zone, waits for their sshd and hands them to play 2 with add_host; play 2
// installs rbenv, nginx, the environment, the sample app, database.yml, its bundle and
// unicorn on them, and the release test asks each one for its health through nginx.
//
//   npm start [-- tsplay options...]     e.g. npm start -- -v, npm start -- --check
//
// The Debian packages the roles install must be on this machine (the instances are overlays
// of its root); missing ones are installed first with apt-get when running as root. The
// cloud, its instances and its state directory are removed at the end, also on Ctrl-C,
// unless TSPLAY_KEEP_CLOUD=1 (then it prints how to reach and stop them).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installPackages, missingRolePackages, port80Problem } from './machine.js';
import { startDemoCloud, type DemoCloud } from './demo.js';
import { REPO } from './repo.js';

function say(text: string): void {
  process.stdout.write(`### ${text}\n`);
}

/** Installs the role packages this machine lacks (root only), or explains what to do. */
function ensureRolePackages(): string | undefined {
  const missing = missingRolePackages();
  if (missing.length === 0) return undefined;
  if (process.getuid?.() !== 0) return `the instances are overlays of this machine: install ${missing.join(' ')} (apt-get install, as root) first`;
  say(`installing the Debian packages the roles need on the instances: ${missing.join(' ')}`);
  installPackages(missing, 'inherit');
  return undefined;
}

/** Runs tsplay with the cloud's environment, its output going straight to this terminal. */
function tsplay(env: Record<string, string>, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'tsplay.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, ...env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(argv: string[]): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const problem = ensureRolePackages() ?? port80Problem();
  if (problem) {
    process.stderr.write(`npm start: ${problem}\n`);
    return 1;
  }
  say('starting the local cloud (tsplay-localcloud: EC2, ELBv2 and Route 53 on loopback, network 127.76)');
  const cloud: DemoCloud = await startDemoCloud('127.76');
  const keep = process.env.TSPLAY_KEEP_CLOUD === '1';
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= keep ? Promise.resolve() : cloud.stop());
  const interrupted = () => void stop().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const args = ['-i', 'inventory/local', 'playbooks/site.yml', ...argv];
    say(`tsplay ${args.join(' ')}`);
    const code = await tsplay(cloud.env, args);
    if (keep) {
      say('the cloud keeps running: to use it and to stop it');
      process.stdout.write(`eval "$(npx tsplay-localcloud env --state-dir ${cloud.stateDir})"\nnpx tsplay-localcloud stop --state-dir ${cloud.stateDir}\n`);
    }
    say(`site.yml ended with exit code ${code}`);
    return code;
  } finally {
    await stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm start: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
