import { pick } from '../core/intake/intake';
import { planRepChanges, RepFields, validateRepsCsv } from '../core/intake/rep-intake';
import { RepsRepository } from '../reps/reps.repository';
import { keyedImport } from './keyed-import';

/** reps.csv: keyed by rep_id; every manager must be a rep of the file or of the store, and no chain of managers may loop. */
export function repImport(reps: RepsRepository) {
  return keyedImport({
    action: 'rep',
    entityType: 'rep',
    key: (r) => r.repId,
    async read(em, { file, content, onProgress, settings }) {
      const stored = await reps.all(em);
      const result = validateRepsCsv(content, file, { storedManagers: new Map(stored.map((r) => [r.repId, r.managerId])), onProgress, maxErrors: settings.maxErrors });
      return { ...result, stored };
    },
    plan: async (_em, file) => planRepChanges(file.records, new Map(file.stored.map((r) => [r.repId, r]))),
    insert: (tx, records) => reps.insertMany(tx, records),
    update: (tx, records) => reps.updateMany(tx, records),
    fields: (r: RepFields) => pick(r, ['repId', 'name', 'email', 'managerId', 'role', 'hireDate', 'terminationDate', 'currency']),
    updateShows: 'changed',
  });
}
