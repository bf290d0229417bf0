#!/usr/bin/env node
// `npm start` builds only when something the build reads changed since the last build, so a
// restart is ready in seconds. `--stamp` (run after every build) records that the build is current.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
// Everything `npm run build` reads (src/generated is written by the build itself).
const inputs = ['src', 'bench', 'packages/sandbox/src', 'packages/sandbox/bench', 'prisma/schema.prisma', 'package.json', 'package-lock.json', 'packages/sandbox/package.json', '.swcrc', 'scripts/prisma-generate.mjs'];
const skip = new Set([join(root, 'src', 'generated')]);

function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  if (skip.has(path)) return 0;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

if (process.argv.includes('--stamp')) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.exit(0);
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // never built (or built before stamps existed)
}
const changed = Math.max(...inputs.map((input) => newest(join(root, input))));
if (built && changed <= built) process.exit(0);
console.error(built ? 'sources changed since the last build: building' : 'no build yet: building');
const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
