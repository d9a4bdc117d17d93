import { Command } from 'commander';
import { registerAccountingCommands } from './accounting.commands';
import { registerCalcCommands } from './calc.commands';
import { registerCloseCommands } from './close.commands';
import { registerCoreCommands } from './core.commands';
import { registerDemoCommands } from './demo.commands';
import { registerDisputeCommands } from './disputes.commands';
import { registerEstimateCommands } from './estimate.commands';
import { registerImportCommands } from './import.commands';
import { registerKpiCommands } from './kpis.commands';
import { registerPlanDocumentCommands } from './plan-documents.commands';
import { registerReconcileCommands } from './reconcile.commands';
import { registerStatementCommands } from './statements.commands';

/** Each feature registers its commands here. */
export const CLI_COMMANDS: ((program: Command) => void)[] = [registerCoreCommands, registerCalcCommands, registerCloseCommands, registerImportCommands, registerReconcileCommands, registerAccountingCommands, registerKpiCommands, registerDisputeCommands, registerEstimateCommands, registerStatementCommands, registerPlanDocumentCommands, registerDemoCommands];
