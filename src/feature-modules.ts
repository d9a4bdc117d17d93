import { AccountingModule } from './accounting/accounting.module';
import { AssignmentsModule } from './assignments/assignments.module';
import { AuditModule } from './audit/audit.module';
import { BookingsModule } from './bookings/bookings.module';
import { CalculationModule } from './calculation/calculation.module';
import { DisputesModule } from './disputes/disputes.module';
import { EstimatesModule } from './estimates/estimates.module';
import { FxModule } from './fx/fx.module';
import { ImportsModule } from './imports/imports.module';
import { KpisModule } from './kpis/kpis.module';
import { PeriodsModule } from './periods/periods.module';
import { PlanDocumentsModule } from './plan-documents/plan-documents.module';
import { PlanAuthoringModule } from './plan-authoring/plan-authoring.module';
import { PlansModule } from './plans/plans.module';
import { PortalModule } from './portal/portal.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RepsModule } from './reps/reps.module';
import { StatementsModule } from './statements/statements.module';

/** Feature modules wired into the app and the CLI. */
export const FEATURE_MODULES: any[] = [
  AuditModule,
  PlansModule,
  PlanDocumentsModule,
  PlanAuthoringModule,
  CalculationModule,
  PeriodsModule,
  ReconciliationModule,
  AccountingModule,
  KpisModule,
  StatementsModule,
  DisputesModule,
  EstimatesModule,
  ImportsModule,
  RepsModule,
  AssignmentsModule,
  BookingsModule,
  FxModule,
  PortalModule,
];
