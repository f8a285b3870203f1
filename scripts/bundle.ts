// Bundles the compiled CLI (dist/src) into dist/bundle, which bin/tsplay.js runs: Node
// then reads one file instead of ~380 modules, and compiles nothing it has compiled
// before (the V8 code cache, src/cli/bundle-loader.ts). `tsplay --version` went from
// 0.21 s to 0.10 s on the benchmark machine; every run pays that first.
// - tsplay.cjs: the CLI, CommonJS so that it can be compiled with a code cache on Node 20.
//   Code loaded on demand (the AWS modules, the run history) still runs only when used.
//   ssh2 and nunjucks are bundled too (they were a third of the start-up); native code
//   (ssh2's crypto binding, cpu-features, better-sqlite3) and the AWS SDK, loaded lazily,
//   are required from node_modules at run time.
// - history-worker.js: the run history's worker thread, started by file name next to it.
// - tsplay.cjs.v8cache: the code compiled while running a small local playbook with the
//   common modules, made here so that the first run already has it.
// Run after tsc: `npm run build` does both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { cacheFileOf } from '../src/cli/bundle-loader.js';
import { REPO } from './repo.js';

const OUT_DIR = join(REPO, 'dist/bundle');
const BUNDLE = join(OUT_DIR, 'tsplay.cjs');

/**
 * A compiled addon (`require('./x.node')` in a bundled package) cannot be inlined: the
 * bundle requires it by package path at run time, found from the bundle's own location.
 */
const nativeAddons: Plugin = {
  name: 'native-addons',
  setup(esbuild) {
    esbuild.onResolve({ filter: /\.node$/ }, (args) => {
      const absolute = resolve(args.resolveDir, args.path);
      return { path: absolute.slice(absolute.lastIndexOf('/node_modules/') + '/node_modules/'.length), namespace: 'native-addon' };
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => ({
      // Through a variable: a literal require would make esbuild bundle it again.
      contents: `const load = require; module.exports = load(load.resolve(${JSON.stringify(args.path)}));`,
      loader: 'js',
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', '@aws-sdk/*', 'cpu-features'],
  plugins: [nativeAddons],
  logLevel: 'warning',
};

rmSync(OUT_DIR, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [join(REPO, 'dist/src/cli/main.js')],
  outfile: BUNDLE,
  format: 'cjs',
  // The sources are ES modules: import.meta becomes the bundle file's own location.
  define: { 'import.meta.url': 'tsplayBundleUrl', 'import.meta.dirname': '__dirname' },
  banner: { js: "const tsplayBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: [join(REPO, 'dist/src/history/history-worker.js')],
  outfile: join(OUT_DIR, 'history-worker.js'),
  format: 'esm',
  // Bundled CommonJS packages call require(): an ES module has none of its own.
  banner: { js: "import { createRequire as tsplayCreateRequire } from 'node:module'; const require = tsplayCreateRequire(import.meta.url);" },
});

// A playbook on localhost with the modules most runs use, run with the new bundle so that
// its compiled code is saved as the cache.
const WARM_UP = `- hosts: all
  gather_facts: false
  vars:
    names: [a, b]
  tasks:
    - command: echo {{ names | join(',') }}
      register: echoed
      changed_when: false
    - shell: test -n "{{ echoed.stdout }}"
    - set_fact: { joined: "{{ echoed.stdout | upper }}" }
    - assert: { that: "joined == 'A,B'", quiet: true }
    - file: { path: "{{ dir }}/tree", state: directory, mode: "0755" }
    - copy: { content: "{{ joined }}\\n", dest: "{{ dir }}/tree/content" }
    - copy: { src: "{{ dir }}/tree/content", dest: "{{ dir }}/tree/copied", remote_src: true }
    - template: { src: "{{ dir }}/warm.j2", dest: "{{ dir }}/tree/rendered", mode: "0640" }
    - lineinfile: { path: "{{ dir }}/tree/rendered", line: "extra = 1" }
    - file: { src: "{{ dir }}/tree/rendered", dest: "{{ dir }}/tree/link", state: link }
    - stat: { path: "{{ dir }}/tree/rendered" }
      register: rendered
    - debug: { msg: "{{ rendered.stat.size }}" }
      when: rendered.stat.exists
      loop: "{{ names }}"
`;

const project = mkdtempSync(join(tmpdir(), 'tsplay-warm-up-'));
try {
  writeFileSync(join(project, 'warm.yml'), WARM_UP);
  writeFileSync(join(project, 'warm.j2'), '{% for n in names %}{{ n }} = {{ loop.index }}\n{% endfor %}');
  const run = spawnSync(process.execPath, [join(REPO, 'bin/tsplay.js'), '-i', 'localhost,', '-c', 'local', '-e', `dir=${project}`, 'warm.yml'], {
    cwd: project,
    env: { ...process.env, TSPLAY_SAVE_CODE_CACHE: '1', TSPLAY_NO_HISTORY: '1', ANSIBLE_NOCOLOR: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0 || !existsSync(cacheFileOf(BUNDLE))) {
    // Not fatal: tsplay runs without a cache, only starts slower.
    process.stderr.write(`bundle: the warm-up run failed (exit ${run.status}), no code cache:\n${run.stdout}${run.stderr}\n`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
