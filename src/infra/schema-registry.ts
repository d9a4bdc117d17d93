import { CalculationRuns1767312000000 } from '../../migrations/1767312000000-calculation-runs';
import { PeriodClose1767398400000 } from '../../migrations/1767398400000-period-close';
import { Disputes1767484800000 } from '../../migrations/1767484800000-disputes';
import { Payroll1767571200000 } from '../../migrations/1767571200000-payroll';
import { CloseHardening1767657600000 } from '../../migrations/1767657600000-close-hardening';
import { ShardedRuns1767744000000 } from '../../migrations/1767744000000-sharded-runs';
import { TypedTraces1767830400000 } from '../../migrations/1767830400000-typed-traces';
import { CurrencyMinorUnits1767916800000 } from '../../migrations/1767916800000-currency-minor-units';
import { LedgerAppendOnly1768003200000 } from '../../migrations/1768003200000-ledger-append-only';
import { Identifiers1768089600000 } from '../../migrations/1768089600000-identifiers';
import { OrphanRuns1768176000000 } from '../../migrations/1768176000000-orphan-runs';
import { AppRole1768262400000 } from '../../migrations/1768262400000-app-role';
import { PlanMechanicsFacts1768348800000 } from '../../migrations/1768348800000-plan-mechanics-facts';
import { PlanAcknowledgments1768435200000 } from '../../migrations/1768435200000-plan-acknowledgments';
import { ContractCosts1768521600000 } from '../../migrations/1768521600000-contract-costs';
import { TextNotChar1768608000000 } from '../../migrations/1768608000000-text-not-char';
import { CurrentRuns1768694400000 } from '../../migrations/1768694400000-current-runs';

/** Migrations after the foundation, in order. Kept apart from database.ts so a feature adds its tables here. */
export const EXTRA_MIGRATIONS: Function[] = [CalculationRuns1767312000000, PeriodClose1767398400000, Disputes1767484800000, Payroll1767571200000, CloseHardening1767657600000, ShardedRuns1767744000000, TypedTraces1767830400000, CurrencyMinorUnits1767916800000, LedgerAppendOnly1768003200000, Identifiers1768089600000, OrphanRuns1768176000000, AppRole1768262400000, PlanMechanicsFacts1768348800000, PlanAcknowledgments1768435200000, ContractCosts1768521600000, TextNotChar1768608000000, CurrentRuns1768694400000];
