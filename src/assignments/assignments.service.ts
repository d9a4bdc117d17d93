import { Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { AssignmentsRepository } from './assignments.repository';

/** A rep's plan assignment. Money is a decimal string in the rep's currency. */
export interface AssignmentView {
  id: string;
  repId: string;
  planId: string;
  startDate: string;
  endDate: string | null;
  annualQuota: string;
  targetVariable: string;
  baseSalary: string;
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly assignments: AssignmentsRepository,
    private readonly access: AccessService,
  ) {}

  async list(actor: Actor): Promise<AssignmentView[]> {
    const visible = await this.access.visibleRepIds(actor);
    const assignments = await this.assignments.list(visible && [...visible]);
    return assignments.map((a) => ({
      id: a.id,
      repId: a.repId,
      planId: a.planId,
      startDate: a.startDate,
      endDate: a.endDate,
      annualQuota: a.annualQuota.toFixed(),
      targetVariable: a.targetVariable.toFixed(),
      baseSalary: a.baseSalary.toFixed(),
    }));
  }
}
