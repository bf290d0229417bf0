// Every pooled connection starts READ COMMITTED (#15: no SET TRANSACTION per transaction), whatever
// the URL looks like; node-postgres's own parsing of the result is what is checked.
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { READ_COMMITTED_OPTION, withReadCommittedDefault } from '../../src/database/session-defaults.js';

function startupOptions(url: string): { options: unknown; host: unknown; database: unknown } {
  const params = (new pg.Client(withReadCommittedDefault(url)) as unknown as { connectionParameters: { options: unknown; host: unknown; database: unknown } }).connectionParameters;
  return { options: params.options, host: params.host, database: params.database };
}

describe('withReadCommittedDefault', () => {
  it('adds the option to a URL without one, leaving the URL as given', () => {
    expect(startupOptions('postgresql://berth:pw@db.example:5432/berth?sslmode=disable')).toEqual({ options: READ_COMMITTED_OPTION, host: 'db.example', database: 'berth' });
    expect(withReadCommittedDefault('postgres://user@/berth?host=/var/run/postgresql').connectionString).toBe('postgres://user@/berth?host=/var/run/postgresql');
    expect(startupOptions('postgres://user@/berth?host=/var/run/postgresql')).toMatchObject({ options: READ_COMMITTED_OPTION, host: '/var/run/postgresql' });
  });

  it('appends it after the operator’s own options, so it wins over an isolation level given there', () => {
    expect(startupOptions('postgres://u@h/db?options=-c%20search_path%3Dapp&sslmode=disable').options).toBe(`-c search_path=app ${READ_COMMITTED_OPTION}`);
    expect(startupOptions('postgres://u@h/db?sslmode=disable&options=-c%20default_transaction_isolation%3Dserializable').options).toBe(
      `-c default_transaction_isolation=serializable ${READ_COMMITTED_OPTION}`,
    );
  });
});
