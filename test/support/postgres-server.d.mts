export interface PostgresServer {
  adminUrl: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startPostgresServer(): Promise<PostgresServer>;
export function databaseUrl(adminUrl: string, database: string): string;
export function adminQuery(adminUrl: string, sql: string): Promise<void>;
