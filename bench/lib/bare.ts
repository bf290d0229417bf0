// The baseline: bare Fastify + pg doing the same work as Berth's handler — the same SQL Berth sends
// (token lookup with its user and memberships, then the app with its team), the same pool size,
// the same JSON shape — and nothing else (no DI, guards, interceptors, validation, metrics, logs).
import { createHash } from 'node:crypto';
import fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import pg from 'pg';
import { SIZES } from '../../src/modules/sizes/sizes.catalogue.js';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

interface TokenRow {
  id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  user_id: string;
  is_platform_admin: boolean;
  team_ids: string[];
}

interface AppRow {
  id: string;
  name: string;
  team_id: string;
  team_name: string;
  description: string;
  state: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const TOKEN_SQL = `
  SELECT t.id, t.expires_at, t.revoked_at, u.id AS user_id, u.is_platform_admin,
         coalesce((SELECT array_agg(m.team_id) FROM memberships m WHERE m.user_id = u.id), '{}') AS team_ids
  FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 LIMIT 1`;
const APP_SQL = `
  SELECT a.id, a.name, a.description, a.team_id, tm.name AS team_name, a.state, a.version, a.created_at, a.updated_at
  FROM apps a JOIN teams tm ON tm.id = a.team_id
  WHERE a.name = $1 AND ($2::boolean OR a.team_id = ANY($3::uuid[])) LIMIT 1`;

const SIZES_BODY = SIZES.map((s) => ({ name: s.name, description: s.description, cpu_request: s.cpuRequest, cpu_limit: s.cpuLimit, memory_request: s.memoryRequest, memory_limit: s.memoryLimit }));

export async function startBare(databaseUrl: string, poolSize: number): Promise<BareServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const app: FastifyInstance = fastify({ logger: false });
  const authenticate = async (req: FastifyRequest): Promise<TokenRow | undefined> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const hash = createHash('sha256').update(m[1]!).digest('hex');
    const row = (await pool.query<TokenRow>(TOKEN_SQL, [hash])).rows[0];
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= new Date())) return undefined;
    return row;
  };
  app.get('/v1/apps/:app', async (req, reply) => {
    const actor = await authenticate(req);
    if (!actor) return reply.code(401).send({ code: 'unauthenticated' });
    const name = (req.params as { app: string }).app;
    const row = (await pool.query<AppRow>(APP_SQL, [name, actor.is_platform_admin, actor.team_ids])).rows[0];
    if (!row) return reply.code(404).send({ code: 'not-found' });
    return { id: row.id, name: row.name, description: row.description, team: { id: row.team_id, name: row.team_name }, state: row.state, version: row.version, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
  });
  // The same work with the token's record kept in memory after its first lookup (no invalidation at
  // all: a floor for what Berth's authentication cache can reach), so only the app statement is sent —
  // the statements Berth sends once its cache holds the caller.
  const remembered = new Map<string, TokenRow>();
  app.get('/cached/v1/apps/:app', async (req, reply) => {
    const header = req.headers.authorization ?? '';
    let actor = remembered.get(header);
    if (!actor) {
      actor = await authenticate(req);
      if (actor) remembered.set(header, actor);
    }
    if (!actor || (actor.expires_at && actor.expires_at <= new Date())) return reply.code(401).send({ code: 'unauthenticated' });
    const name = (req.params as { app: string }).app;
    const row = (await pool.query<AppRow>(APP_SQL, [name, actor.is_platform_admin, actor.team_ids])).rows[0];
    if (!row) return reply.code(404).send({ code: 'not-found' });
    return { id: row.id, name: row.name, description: row.description, team: { id: row.team_id, name: row.team_name }, state: row.state, version: row.version, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
  });
  app.get('/v1/sizes', async (req, reply) => {
    if (!(await authenticate(req))) return reply.code(401).send({ code: 'unauthenticated' });
    return SIZES_BODY;
  });
  // No database at all: the floor a Node HTTP framework sets on this machine.
  app.get('/nodb/sizes', async () => SIZES_BODY);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
