import { Injectable, PipeTransform } from '@nestjs/common';
import { Matches, ValidationOptions } from 'class-validator';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { ID_PATTERN, ID_RULE, idProblem } from '../core/ids/identifier';

/** A DTO field that holds an identifier (core/ids/identifier.ts): a 400 naming the field otherwise. */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return Matches(ID_PATTERN, { message: ({ property }) => `${property} must be an id: ${ID_RULE}`, ...options });
}

/** Free text (notes, dispute text, references): anything but control characters other than tab and line breaks. */
// eslint-disable-next-line no-control-regex
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
export function IsPlainText(options?: ValidationOptions): PropertyDecorator {
  return Matches(NO_CONTROL, { message: ({ property }) => `${property} must not contain control characters`, ...options });
}

/**
 * A path or query parameter that names an entity by id (`@Param('repId', IdParam)`): an id that breaks the rule is a
 * 400 naming the parameter, before any query runs. Such an id cannot exist (imports refuse it, and the database's
 * CHECK constraints too), so this is never a "not found".
 */
@Injectable()
export class IdParamPipe implements PipeTransform<string | undefined, string | undefined> {
  constructor(private readonly optional = false) {}

  transform(value: string | undefined, meta: { data?: string }): string | undefined {
    if (value === undefined && this.optional) return undefined;
    const problem = idProblem(value ?? '');
    if (problem !== null) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${meta.data ?? 'id'}: ${problem}`);
    return value;
  }
}

export const IdParam = new IdParamPipe();
export const OptionalIdParam = new IdParamPipe(true);
