import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db } from '../infra/db.service';
import { returnedRows } from '../infra/returned-rows';
import { Role } from './role';

/** A user as stored, without the token's hash. Times are ISO 8601 UTC. */
export interface User {
  id: string;
  name: string;
  role: Role;
  repId: string | null;
  tokenPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  rep_id: string | null;
  token_prefix: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

const COLUMNS = `id::text AS id, name, role, rep_id, token_prefix, created_at, revoked_at`;

function toUser(r: UserRow): User {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    repId: r.rep_id,
    tokenPrefix: r.token_prefix,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
  };
}

/** The users table: API users and the sha256 of their tokens. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  async insert(em: EntityManager, u: { name: string; role: Role; repId: string | null; tokenHash: string; tokenPrefix: string }): Promise<User> {
    const [row] = returnedRows<UserRow>(
      await em.query(`INSERT INTO users (name, role, rep_id, token_hash, token_prefix) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`, [
        u.name,
        u.role,
        u.repId,
        u.tokenHash,
        u.tokenPrefix,
      ]),
    );
    return toUser(row);
  }

  /** The user a token's hash names, revoked or not (every request asks: read on the manager, not behind the embedded store's queue). */
  async byTokenHash(tokenHash: string): Promise<User | null> {
    const [row]: UserRow[] = await this.db.manager.query(`SELECT ${COLUMNS} FROM users WHERE token_hash = $1`, [tokenHash]);
    return row ? toUser(row) : null;
  }

  /** A user, locked for the rest of the transaction. */
  async lock(em: EntityManager, id: string): Promise<User | null> {
    const [row] = await em.query(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toUser(row as UserRow) : null;
  }

  async revoke(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE users SET revoked_at = $2 WHERE id = $1`, [id, at.toISOString()]);
  }

  async list(): Promise<User[]> {
    return (await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id`)).map(toUser);
  }

  async nameOf(id: string): Promise<string | null> {
    const [row] = await this.db.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [id]);
    return row?.name ?? null;
  }

  /** The payee's name, for a user linked to one (users.rep_id references reps). */
  async repName(repId: string, em?: EntityManager): Promise<string | null> {
    const [row] = em ? await em.query(`SELECT name FROM reps WHERE rep_id = $1`, [repId]) : await this.db.query<{ name: string }>(`SELECT name FROM reps WHERE rep_id = $1`, [repId]);
    return (row as { name: string } | undefined)?.name ?? null;
  }
}
