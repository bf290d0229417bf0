// BERTH_AUDIT_CHECKPOINT_* parsing (docs/configuration.md, docs/security.md).
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('audit checkpoint configuration', () => {
  it('has no sink and a one-minute interval by default', () => {
    expect(loadConfig({}).auditCheckpoint).toEqual({ intervalMs: 60_000, sink: undefined, sinkToken: undefined });
  });

  it.each([
    ['file:///var/lib/berth/checkpoints', { kind: 'directory', path: '/var/lib/berth/checkpoints' }],
    ['/mnt/worm/berth', { kind: 'directory', path: '/mnt/worm/berth' }],
    ['https://notary.example.com/berth/checkpoints', { kind: 'webhook', url: 'https://notary.example.com/berth/checkpoints' }],
  ])('reads %s', (value, sink) => {
    expect(loadConfig({ BERTH_AUDIT_CHECKPOINT_SINK: value, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: '5000' }).auditCheckpoint).toMatchObject({ intervalMs: 5000, sink });
  });

  it.each([
    ['BERTH_AUDIT_CHECKPOINT_SINK', 'ftp://example.com/x'],
    ['BERTH_AUDIT_CHECKPOINT_SINK', 'relative/dir'],
    ['BERTH_AUDIT_CHECKPOINT_SINK', 'https://user:secret@example.com/hook'],
    ['BERTH_AUDIT_CHECKPOINT_INTERVAL_MS', '10'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
