// Without BERTH_ENCRYPTION_KEY, a newcomer's Berth makes a key once and keeps it in the data
// folder. Replicas sharing a database must share a configured key instead.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function loadOrCreateKeyFile(dataDir: string): Promise<{ key: string; created: boolean }> {
  const path = join(dataDir, 'encryption.key');
  try {
    return { key: (await readFile(path, 'utf8')).trim(), created: false };
  } catch {
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64');
    await writeFile(path, key + '\n', { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return { key: (await readFile(path, 'utf8')).trim(), created: true };
  }
}
