import type { Role } from './role';

/** Who is acting: an authenticated API user, or the operator running the CLI. */
export interface Actor {
  userId: string | null;
  role: Role;
  repId: string | null;
  /** Human-readable identity written to the audit trail. */
  label: string;
  requestId?: string;
}

export function cliActor(): Actor {
  let who = 'operator';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    who = require('node:os').userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return { userId: null, role: 'admin', repId: null, label: `cli:${who}` };
}

/** The service itself, acting at start-up (loading the plan files it was given): named as such in the audit trail. */
export function serviceActor(task: string): Actor {
  return { userId: null, role: 'admin', repId: null, label: `service:${task}` };
}
