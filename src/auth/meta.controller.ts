import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DISPUTE_REASON_CODES, DISPUTE_REASON_LABELS, DISPUTE_TARGET_KINDS } from '../core/disputes/dispute-rules';
import { DISPUTE_RAISERS, DISPUTE_RESOLVERS, ESTIMATORS, OPERATORS, READERS, Roles } from './roles.decorator';
import { ROLES } from './role';

/** Line kinds the system writes for bookkeeping: disputed through the lines that made them, or the payout. */
export const SYSTEM_LINE_KINDS = ['negative_carried_forward', 'rounding', 'balance_recovery'] as const;

/** The vocabulary the API uses, from the same constants the API enforces, so clients (the portal) keep no copies. */
export interface MetaView {
  roles: readonly string[];
  /** Roles allowed to do each thing (the guard's own lists; the API still decides every call). */
  capabilities: { raiseDisputes: string[]; resolveDisputes: string[]; estimate: string[]; operate: string[] };
  disputeReasons: { code: string; label: string }[];
  disputeTargets: readonly string[];
  systemLineKinds: readonly string[];
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('meta')
export class MetaController {
  @Roles(...READERS)
  @Get()
  @ApiOperation({ summary: 'Reason codes, line kinds and role capabilities, as the API enforces them' })
  meta(): MetaView {
    return {
      roles: ROLES,
      capabilities: { raiseDisputes: DISPUTE_RAISERS, resolveDisputes: DISPUTE_RESOLVERS, estimate: ESTIMATORS, operate: OPERATORS },
      disputeReasons: DISPUTE_REASON_CODES.map((code) => ({ code, label: DISPUTE_REASON_LABELS[code] })),
      disputeTargets: DISPUTE_TARGET_KINDS,
      systemLineKinds: SYSTEM_LINE_KINDS,
    };
  }
}
