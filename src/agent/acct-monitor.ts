import { acct, type AcctOptions, type AcctRecord } from '../accounting/index.js';
import type { AgentContext, AgentMonitor } from './types.js';

/**
 * Accounting in a traced process: activities are recorded here and their finished records
 * are sent to mscope in each flush, where the store and the exporters live.
 */
export class AccountingMonitor implements AgentMonitor {
  private pending: AcctRecord[] = [];
  private detach: (() => void) | null = null;

  constructor(private readonly options: AcctOptions) {}

  static load(spec: string): AccountingMonitor {
    return new AccountingMonitor(JSON.parse(spec) as AcctOptions);
  }

  start(_ctx: AgentContext): void {
    acct.enable(this.options);
    this.detach = acct.onRecord((r) => this.pending.push(r));
  }

  flush(): unknown {
    if (this.pending.length === 0) return undefined;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  finish(): unknown {
    this.detach?.();
    const rest = this.flush();
    acct.disable();
    // Every record went to mscope: a process mscope attached to and left keeps none of them.
    acct.ring.clear();
    return rest;
  }
}
