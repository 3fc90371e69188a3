/** The label value, and label, that stand for every value past an exporter's cap. */
export const OVERFLOW_LABEL = 'overflow';

/** The overflow warning's default destination: mscope's stderr, one line. */
export function warnOnStderr(line: string): void {
  process.stderr.write(`mscope: ${line}\n`);
}

/** Distinct label values kept per exporter by default; past it, one overflow series. */
export const DEFAULT_MAX_LABEL_VALUES = 1000;

/**
 * Caps the distinct values of a metric label (the activity token: one per HTTP path can
 * be unbounded), for every exporter: the first `max` values are kept, each later new
 * value maps to null, for the caller to fold into one overflow series, and `warn` is
 * called once with a line saying so. 20,000 distinct paths pushed mscope past 3 GB at
 * the first Prometheus scrape before this cap.
 */
export class LabelCap {
  private readonly kept = new Set<string>();
  /** Values refused (each distinct value once). */
  private readonly refused = new Set<string>();

  constructor(
    readonly max: number,
    private readonly warn: (line: string) => void,
    private readonly what: string,
  ) {}

  /** `value` while under the cap (or already kept), else null. */
  admit(value: string): string | null {
    if (this.kept.has(value)) return value;
    if (this.kept.size < this.max) {
      this.kept.add(value);
      return value;
    }
    if (this.refused.size === 0) {
      this.warn(
        `${this.what}: more than ${this.max} distinct token values; the rest are exported as one series labelled ${OVERFLOW_LABEL}="true"`,
      );
    }
    // Counting distinct refused values must not grow without bound either.
    if (this.refused.size < this.max) this.refused.add(value);
    return null;
  }

  /** Distinct values refused so far (at most `max` are told apart). */
  get overflowed(): number {
    return this.refused.size;
  }
}
