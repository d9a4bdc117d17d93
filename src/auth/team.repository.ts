import { Injectable } from '@nestjs/common';
import { Db } from '../infra/db.service';

/** The reporting line in the reps table, as access control reads it. */
@Injectable()
export class TeamRepository {
  constructor(private readonly db: Db) {}

  /** A payee and everyone who reports to them, directly or through others. */
  async teamOf(repId: string): Promise<string[]> {
    const rows = await this.db.query<{ rep_id: string }>(
      `WITH RECURSIVE team(rep_id) AS (
         SELECT $1::text
         UNION
         SELECT r.rep_id FROM reps r JOIN team t ON r.manager_id = t.rep_id
       ) SELECT rep_id FROM team`,
      [repId],
    );
    return rows.map((r) => r.rep_id);
  }
}
