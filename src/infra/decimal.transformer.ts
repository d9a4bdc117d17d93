import { ValueTransformer } from 'typeorm';
import { Decimal } from '../core/money/decimal';

/** numeric <-> Decimal. The database returns numeric as text; we never let it pass through a JS number. */
export const decimalTransformer: ValueTransformer = {
  to: (value: Decimal | string | null | undefined) =>
    value === null || value === undefined ? value : value instanceof Decimal ? value.toFixed() : new Decimal(value).toFixed(),
  from: (value: string | null) => (value === null || value === undefined ? value : new Decimal(value)),
};
