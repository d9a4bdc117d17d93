import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanVersionFacts } from '../core/calculation/calculation-types';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { PlanDocument } from '../core/plans/plan-types';
import { AuditService } from '../audit/audit.service';
import { serviceActor } from '../auth/actor';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { PlanFileReport, planFiles, validatePlanFile } from './plan-files';
import { PlanVersionsRepository } from './plan-versions.repository';


/** Reads plan files from disk, validates them, and loads them as immutable content-hashed versions. */
@Injectable()
export class PlansService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlansService.name);

  constructor(
    private readonly db: Db,
    private readonly versions: PlanVersionsRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!fs.existsSync(this.cfg.plansDir)) {
      this.logger.warn(`plans directory ${this.cfg.plansDir} does not exist; no plans loaded`);
      return;
    }
    await this.loadDirectory(this.cfg.plansDir);
  }

  /** Validates every plan file and loads new versions. Any invalid file or a changed existing version rejects all. */
  async loadDirectory(dir: string): Promise<PlanFileReport[]> {
    const reports = planFiles(dir).map((f) => validatePlanFile(f));
    const bad = reports.filter((r) => r.problems.length);
    if (bad.length) {
      throw new CommissionError(
        CommissionErrorCode.PLAN_INVALID,
        `invalid plan files: ${bad.map((b) => b.file).join(', ')}`,
        bad.flatMap((b) => b.problems.map((p) => `${b.file}: ${p}`)),
      );
    }
    await this.db.tx(async (em) => {
      for (const r of reports) {
        const doc = r.document as PlanDocument;
        const existing = await this.versions.hashOf(em, doc.id, doc.version);
        if (existing !== null) {
          if (existing !== r.hash) {
            throw new CommissionError(
              CommissionErrorCode.PLAN_INVALID,
              `${r.file}: plan ${doc.id} version ${doc.version} is already loaded with different content (hash ${existing.slice(0, 12)}); plan versions are immutable: give the change a new version number`,
            );
          }
          continue;
        }
        await this.versions.insert(em, {
          planId: doc.id,
          version: doc.version,
          contentHash: r.hash as string,
          effectiveFrom: doc.effectiveFrom,
          effectiveTo: doc.effectiveTo,
          document: doc,
          sourceFile: path.basename(r.file),
        });
        await this.audit.record(em, serviceActor('plan-files'), { action: 'plan.load', entityType: 'plan_version', entityId: `${doc.id}@v${doc.version}`, after: { hash: r.hash, file: r.file } });
        this.logger.log(`loaded plan ${doc.id} v${doc.version} (${(r.hash as string).slice(0, 12)})`);
      }
    });
    return reports.map(({ document: _d, ...r }) => r);
  }

  async allVersions(): Promise<PlanVersionFacts[]> {
    return this.versions.all();
  }
}
