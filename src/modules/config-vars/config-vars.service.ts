import { Injectable } from '@nestjs/common';
import { hasTeamRole, type Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CONFIG_LIMITS, configKeyProblem } from '../../common/validation/names.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { EnvironmentsService, type ConfigMap } from '../environments/environments.service.js';
import { ReleasesService } from '../releases/releases.service.js';
import type { UpdateConfigVarsInput } from './dto/update-config-vars.input.js';
import type { ConfigVarsModel, ConfigVarsUpdateModel } from './models/config-vars.model.js';

interface Change {
  set: ConfigMap;
  unset: string[];
}

/** What viewers see instead of a value. */
export const MASKED = '[REDACTED]';

@Injectable()
export class ConfigVarsService {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly releases: ReleasesService,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
  ) {}

  // Developer, not viewer: the values are secrets.
  /** Viewers see the keys with masked values; developers and above see the values (audited either way). */
  async get(actor: Actor, appRef: string, envRef: string): Promise<ConfigVarsModel> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const revealed = hasTeamRole(actor, env.teamId, 'developer');
    const config = this.environments.readConfig(env);
    const vars = revealed ? config : Object.fromEntries(Object.keys(config).map((k) => [k, MASKED]));
    this.notes.change({ after: { keys: Object.keys(config).sort(), revealed } });
    return { vars, version: env.version };
  }

  async update(actor: Actor, appRef: string, envRef: string, input: UpdateConfigVarsInput, expectedVersion?: number): Promise<ConfigVarsUpdateModel> {
    const resolved = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const change = checkChange(input);
    return this.tx.run(async () => {
      // The lock makes read-modify-write safe against concurrent PATCHes of the same environment.
      const env = await this.environments.lockForWrite(resolved);
      if (expectedVersion !== undefined && env.version !== expectedVersion) {
        throw new DomainError('precondition-failed', `environment "${env.name}" changed since version ${expectedVersion}; it is at version ${env.version}`, { field: 'If-Match' });
      }
      const before = this.environments.readConfig(env);
      const after: ConfigMap = { ...before, ...change.set };
      for (const key of change.unset) delete after[key];
      checkTotals(after);
      if (sameConfig(before, after)) return { vars: before, version: env.version, release: null };
      // Keys only: values are secrets and never reach the audit log.
      this.notes.change({
        before: { keys: Object.keys(before).sort() },
        after: { keys: Object.keys(after).sort(), set_keys: Object.keys(change.set), unset_keys: change.unset },
      });
      const saved = await this.environments.writeConfig(env, after);
      const release = await this.releases.releaseConfigChange(actor, saved, after, describe(change));
      // A release bumps the environment's version once more (its current_release changed).
      return { vars: after, version: release ? saved.version + 1 : saved.version, release: release?.number ?? null };
    });
  }
}

function checkChange(input: UpdateConfigVarsInput): Change {
  const entries = Object.entries(input.set ?? {});
  const unset = input.unset ?? [];
  if (entries.length === 0 && unset.length === 0) throw DomainError.invalid('set', 'give at least one key to set or unset');
  if (entries.length > CONFIG_LIMITS.keys) throw DomainError.invalid('set', `at most ${CONFIG_LIMITS.keys} keys`);
  const accepted: Array<[string, string]> = [];
  for (const [key, value] of entries) {
    const field = `set.${key}`;
    const problem = configKeyProblem(key);
    if (problem) throw DomainError.invalid(field, problem);
    if (typeof value !== 'string') throw DomainError.invalid(field, 'must be a string');
    if (Buffer.byteLength(value, 'utf8') > CONFIG_LIMITS.valueBytes) throw DomainError.invalid(field, `must be at most ${CONFIG_LIMITS.valueBytes} bytes`);
    accepted.push([key, value]);
  }
  // fromEntries defines own properties, so a key such as __proto__ stays data, never a prototype.
  const set: ConfigMap = Object.fromEntries(accepted);
  unset.forEach((key, i) => {
    const problem = configKeyProblem(key);
    if (problem) throw DomainError.invalid(`unset.${i}`, problem);
    if (Object.hasOwn(set, key)) throw DomainError.invalid(`unset.${i}`, `"${key}" is also in set; a key is either set or unset`);
  });
  return { set, unset: [...new Set(unset)] };
}

function checkTotals(config: ConfigMap): void {
  const keys = Object.keys(config);
  if (keys.length > CONFIG_LIMITS.keys) throw DomainError.invalid('set', `an environment has at most ${CONFIG_LIMITS.keys} config vars; this makes ${keys.length}`);
  const bytes = keys.reduce((sum, k) => sum + Buffer.byteLength(k, 'utf8') + Buffer.byteLength(config[k]!, 'utf8'), 0);
  if (bytes > CONFIG_LIMITS.totalBytes) throw DomainError.invalid('set', `config vars may total at most ${CONFIG_LIMITS.totalBytes} bytes; this makes ${bytes}`);
}

function sameConfig(a: ConfigMap, b: ConfigMap): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function describe(change: Change): string {
  const parts: string[] = [];
  const setKeys = Object.keys(change.set);
  if (setKeys.length) parts.push(`Set ${setKeys.join(', ')}`);
  if (change.unset.length) parts.push(`unset ${change.unset.join(', ')}`);
  const text = parts.join('; ');
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return sentence.length > 500 ? `${sentence.slice(0, 497)}...` : sentence;
}
