// Static review of the Dockerfile and .dockerignore (no Docker engine can run here): stages,
// base image, what reaches the runtime image, the user it runs as, health check and entry points.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFile, ROOT } from './support.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions (continuations joined, comments dropped) and stages. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!buffer && (/^\s*#/.test(line) || !line.trim())) return;
    if (/^\s*#/.test(line)) return; // comment inside a continuation
    if (!buffer) start = i + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(buffer);
    if (!m) throw new Error(`cannot parse Dockerfile line ${start}: ${buffer}`);
    instructions.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: start });
    buffer = '';
  });
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`bad FROM on line ${ins.line}`);
      const from = m[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
      stages.push({ name: m[2] ?? String(stages.length), from, instructions: [] });
    } else if (!stages.length) {
      if (ins.keyword !== 'ARG') throw new Error(`${ins.keyword} before FROM on line ${ins.line}`);
      const [k, v = ''] = ins.args.split('=');
      args[k] = v;
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { args, stages };
}

const dockerfile = readRepoFile('Dockerfile');
const { stages } = parseDockerfile(dockerfile);
const stage = (name: string): Stage => {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const runs = (s: Stage): string[] => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
/** Instructions of a stage including those inherited from the stages it is built FROM. */
function lineage(s: Stage): Stage[] {
  const parent = stages.find((x) => x.name === s.from);
  return parent ? [...lineage(parent), s] : [s];
}
const final = stages.at(-1)!;
const finalLineage = lineage(final);
const finalInstructions = finalLineage.flatMap((s) => s.instructions);

describe('Dockerfile', () => {
  test('multi-stage: deps -> build, prod-deps, runtime last, all on Node 24 LTS bookworm-slim', () => {
    expect(stages.map((s) => s.name)).toEqual(['base', 'deps', 'build', 'prod-deps', 'runtime']);
    expect(stage('base').from).toBe('node:24-bookworm-slim');
    expect(final.name).toBe('runtime');
    for (const s of stages) expect([s.name, lineage(s)[0].from]).toEqual([s.name, 'node:24-bookworm-slim']);
  });

  test('the build stage installs everything from the lock file and runs npm run build', () => {
    const build = lineage(stage('build')).flatMap(runs).join('\n');
    expect(build).toMatch(/npm ci(?! --omit)/);
    expect(build).toMatch(/npm run build/);
    expect(build).not.toMatch(/npm install/);
    // The build copies package-lock.json before npm ci (a reproducible install).
    const copies = lineage(stage('build')).flatMap((s) => s.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args));
    expect(copies[0]).toMatch(/package-lock\.json/);
  });

  test('node_modules in the runtime image come from a production-only install', () => {
    const copies = final.instructions.filter((i) => i.keyword === 'COPY');
    const nodeModules = copies.filter((c) => /node_modules/.test(c.args));
    expect(nodeModules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(nodeModules[0].args)![1];
    expect(lineage(stage(from)).flatMap(runs).join('\n')).toMatch(/npm ci --omit=dev/);
    // The runtime never installs or builds anything itself, and takes only dist/src from build.
    expect(finalInstructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')).not.toMatch(/npm (ci|install|run)|swc|tsc/);
    const fromBuild = copies.filter((c) => /--from=build/.test(c.args)).map((c) => c.args.replace(/--\S+\s+/g, ''));
    expect(fromBuild).toEqual(['/app/dist/src ./dist/src', '/app/packages/sandbox/dist/src ./packages/sandbox/dist/src']);
    // No source, tests or development files copied from the context.
    for (const c of copies.filter((x) => !/--from=/.test(x.args))) expect(c.args).toMatch(/^(package\.json|prisma|packages\/sandbox\/package\.json) /);
  });

  test('no devDependency is named in the runtime stage', () => {
    const pkg = JSON.parse(readRepoFile('package.json')) as { devDependencies: Record<string, string> };
    const text = finalInstructions.map((i) => i.args).join('\n');
    for (const dep of Object.keys(pkg.devDependencies)) expect([dep, text.includes(dep)]).toEqual([dep, false]);
  });

  test('every COPY --from names an earlier stage', () => {
    stages.forEach((s, index) => {
      for (const ins of s.instructions.filter((i) => i.keyword === 'COPY')) {
        const from = /--from=(\S+)/.exec(ins.args)?.[1];
        if (from) expect(stages.slice(0, index).map((x) => x.name)).toContain(from);
      }
    });
  });

  test('runs as the non-root uid 10001 with NODE_ENV=production', () => {
    const users = finalInstructions.filter((i) => i.keyword === 'USER');
    expect(users.at(-1)?.args).toBe('10001:10001');
    // Nothing runs as root after the switch.
    const lastUser = final.instructions.lastIndexOf(users.at(-1)!);
    expect(final.instructions.slice(lastUser).filter((i) => i.keyword === 'RUN')).toEqual([]);
    expect(runs(final).join('\n')).toMatch(/useradd [^\n]*--uid 10001/);
    const env = finalInstructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/PORT=8080/);
  });

  test('exposes 8080, checks /healthz with node (no curl), starts the server in exec form', () => {
    expect(final.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toBe('8080');
    const health = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/CMD \["node", "-e", .*fetch\(.*\/healthz/);
    expect(health).not.toMatch(/curl|wget/);
    expect(final.instructions.filter((i) => i.keyword === 'ENTRYPOINT')).toEqual([]);
    expect(JSON.parse(final.instructions.find((i) => i.keyword === 'CMD')!.args)).toEqual(['node', 'dist/src/main.js']);
  });

  test('a berth-migrate command runs the migrations entry point', () => {
    expect(runs(final).join('\n')).toMatch(/exec node \/app\/dist\/src\/database\/migrate\.cli\.js deploy/);
    expect(runs(final).join('\n')).toMatch(/\/usr\/local\/bin\/berth-migrate/);
    // ...which needs prisma/ next to package.json at run time.
    const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(expect.arrayContaining(['package.json ./', 'prisma ./prisma']));
  });

  test('the entry points it names exist in the sources', () => {
    for (const file of ['src/main.ts', 'src/database/migrate.cli.ts', 'scripts/prisma-generate.mjs', 'package-lock.json', '.swcrc', 'prisma/schema.prisma']) {
      expect([file, existsSync(join(ROOT, file))]).toEqual([file, true]);
    }
  });
});

describe('.dockerignore', () => {
  const patterns = readRepoFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  test('keeps dependencies, git metadata, local data, build output and tests out of the context', () => {
    for (const p of ['node_modules', '.git', '.berth', 'dist', 'test', 'src/generated', '.env', 'coverage']) expect(patterns).toContain(p);
  });

  test('does not exclude anything the build copies', () => {
    const copied = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const path of copied) {
      expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
      expect([path, patterns.includes(path) || patterns.some((p) => path.startsWith(`${p}/`))]).toEqual([path, false]);
    }
  });
});
