// Checkpoints as files in a directory (a mounted volume, an append-only bucket mount, a WORM
// share): one file per sequence number, created atomically and never overwritten.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignedHead } from '../audit-signer.js';
import { asCheckpoints, CheckpointSink } from './checkpoint-sink.js';

const FILE = /^audit-checkpoint-(\d{20})\.json$/;

export class DirectoryCheckpointSink extends CheckpointSink {
  readonly description: string;

  constructor(private readonly dir: string) {
    super();
    this.description = `directory ${dir}`;
  }

  async write(checkpoint: SignedHead): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const final = join(this.dir, `audit-checkpoint-${checkpoint.seq.padStart(20, '0')}.json`);
    const temp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
    await writeFile(temp, JSON.stringify(checkpoint, null, 2) + '\n', { flag: 'wx' });
    try {
      // link() refuses an existing name: a sequence number, once written, is never replaced.
      await link(temp, final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await unlink(temp);
    }
  }

  async readAll(): Promise<SignedHead[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const files = names.filter((n) => FILE.test(n)).sort();
    const parsed = await Promise.all(files.map(async (n) => { try { return JSON.parse(await readFile(join(this.dir, n), 'utf8')) as unknown; } catch { return null; } }));
    return asCheckpoints(parsed);
  }
}
