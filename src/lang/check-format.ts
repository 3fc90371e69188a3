import type { Expr, Type } from './ast.js';
import { argConversions, type CompiledFormat } from '../aggregate/printf.js';
import type { DiagnosticBag } from './diagnostics.js';

/** What a conversion takes, as DTrace's printf prototypes say (dt_printf.c's pfcheck_* table). */
type Wants = 'integer' | 'string' | 'number';

/** The types each kind of conversion accepts; a value of the traced program (`dyn`) is converted at run time. */
const ACCEPTS: Record<Wants, readonly Type[]> = {
  integer: ['int', 'dyn'],
  string: ['string', 'dyn'],
  number: ['int', 'float', 'dyn'],
};

const DESCRIBE: Record<Wants, string> = { integer: 'an integer', string: 'a string', number: 'a number' };

function wantsOf(conv: string): Wants {
  return conv === 's' ? 'string' : 'efg'.includes(conv) ? 'number' : 'integer';
}

/**
 * printf's arguments against its conversions, at compile time as DTrace checks them: `%d`
 * with a string, or `%s` with an integer, is refused at the argument (D4201).
 */
export function checkFormatArgs(name: string, fmt: CompiledFormat, args: readonly Expr[], diags: DiagnosticBag): void {
  argConversions(fmt).forEach(({ conv, text }, i) => {
    const a = args[i];
    const t = a?.type;
    const wants = wantsOf(conv === '*' ? 'd' : conv);
    if (a === undefined || t === undefined || t === 'void' || ACCEPTS[wants].includes(t)) return;
    diags.report('D4201', a.span, [i + 2, name, describe(t), text, DESCRIBE[wants]]);
  });
}

function describe(t: Type): string {
  return t === 'int' ? 'an integer' : t === 'string' ? 'a string' : t === 'float' ? 'a floating-point value' : `a ${t}`;
}
