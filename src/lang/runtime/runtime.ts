import { basename } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Aggregation } from '../../aggregate/aggregation.js';
import type { PrintfArg } from '../../aggregate/printf.js';
import type { SortOptions } from '../../aggregate/types.js';
import { cpuNs, escapeText, traceString, wallNs, type ProbeEvent } from '../../core/index.js';
import { applyOption, type ProgramOptions } from '../options.js';
import { aggregationToJson, jsonLine } from '../../aggregate/json.js';
import { keyInt, keyIntString } from '../../aggregate/int64.js';
import { printaDefault } from '../../aggregate/print.js';
import { printaFormatted } from '../../aggregate/printa.js';
import { compiled, printf } from './printing.js';
import { DynVars } from './dynvars.js';
import { SelfStore } from './self-store.js';
import { Speculations } from './speculations.js';
import { jsStack } from './stack.js';
import { DFault, neg, readMember, toInt, toStr } from './values.js';
import { invalidAddress, rawbytes, Scratch } from './scratch.js';
import { targetPid } from '../../core/target-pid.js';
import { FLOW_HEADER, FlowIndent } from './flow.js';
import { AF_INET, AF_INET6, inetNtoa, inetNtoa6 } from './strings.js';

/** Where a program's output and requests go; the CLI, an agent, or a test supplies it. */
export interface Host {
  output(text: string): void;
  /** One firing's records when not quiet, prefixed `CPU ID FUNCTION:NAME` (`flow`: `CPU FUNCTION`, flowindent's); output() when absent. */
  records?(text: string, flow?: boolean): void;
  exit(status: number): void;
  /** Faults and drops, as DTrace reports them on stderr. */
  warn?(text: string): void;
  /** An internal error (a microScope bug, not a D fault) happened: the run must not exit 0. */
  fail?(): void;
  /** false: tick-N timers do not keep the process alive (a preload must not keep its program running). */
  readonly keepAlive?: boolean;
}

export type OutputFormat = 'text' | 'json';

/** Called when a clause faults; the instance fires the ERROR clauses. */
export type FaultHandler = (clause: number, error: unknown, ev: ProbeEvent) => void;

/**
 * What generated clause code calls (`rt.*`): output, aggregation actions, speculations and
 * the built-in variables that are not fields of the event.
 */
export class ClauseRuntime {
  readonly pid = process.pid;
  readonly ppid = process.ppid;
  readonly uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  readonly gid = typeof process.getgid === 'function' ? process.getgid() : 0;
  readonly execname = basename(process.execPath).replace(/\.exe$/, '');
  readonly tid = threadId;
  readonly selfDefaults: unknown[];
  /** This instance's options: the program's, then what setopt() changes. */
  private readonly options: ProgramOptions;
  /** Output is discarded (an agent's BEGIN, run only so that globals are initialised). */
  silent = false;
  exitStatus: number | null = null;
  /** END is running: its exit(N) overrides an earlier status, as DTrace's last exit record does. */
  ending = false;
  /** setopt() calls since the last delta, in order: an agent's reach the consumer with its data. */
  optionChanges: Array<[string, string]> = [];
  /** D faults (division by zero, bad JSON...): reported, and as in DTrace they leave the exit status alone. */
  faults = 0;
  /** Exceptions that are not D faults: bugs in the generated code or the runtime. */
  internalErrors = 0;
  private readonly self: SelfStore | null;
  readonly specs: Speculations;
  /** The bound of associative arrays and self-> variables (dynvarsize), and its drops. */
  readonly dynvars: DynVars;
  /** alloca()'s memory, one clause firing's at a time (scratchsize). */
  readonly scratch: Scratch;
  /** strtok()'s place in its string: kept across the clauses of one firing, as DTrace keeps it per probe. */
  private strtokEv: unknown = null;
  private strtokText = '';
  private strtokPos = -1;
  /** The firing whose records make the current output line (not quiet), or null. */
  private lineEv: ProbeEvent | null = null;
  private lineClause = 0;
  /** The line began quiet (flowindent's): it ends without a newline, as dtrace(1M)'s chewrec does. */
  private lineQuiet = false;
  private lineOpen = false;
  /** flowindent's depth and its look at the line after a return's. */
  private readonly flow = new FlowIndent();
  private lineSpec = 0;
  private line = '';
  onFault: FaultHandler = () => {};
  /** Tracing stops at exit(): whoever linked the clauses unlinks them and stops their timers. */
  onExit: () => void = () => {};

  constructor(
    readonly aggs: readonly Aggregation[],
    private readonly host: Host,
    options: ProgramOptions,
    selfDefaults: readonly unknown[],
    readonly format: OutputFormat,
  ) {
    this.options = { ...options };
    this.specs = new Speculations(options.nspec, options.specsize);
    this.dynvars = new DynVars(options.dynvarsize);
    this.scratch = new Scratch(options.scratchsize);
    this.self = selfDefaults.length > 0 ? new SelfStore(selfDefaults, this.dynvars) : null;
    this.selfDefaults = (this.self?.defaults ?? []) as unknown[];
  }

  get quiet(): boolean {
    return this.options.quiet;
  }

  get target(): number {
    return targetPid();
  }

  get strsize(): number {
    return this.options.strsize;
  }

  get sortOptions(): SortOptions {
    return this.options;
  }

  selfRead(): unknown[] {
    return this.self === null ? this.selfDefaults : this.self.read();
  }

  selfWrite(): unknown[] {
    return this.self === null ? this.selfDefaults : this.self.write();
  }

  close(): void {
    this.flushLines();
    this.self?.disable();
  }

  /** Writes a flowindent return line still waiting for the line after it. */
  flushLines(): void {
    this.flow.flush();
  }

  private emit(text: string, spec: number): void {
    if (this.lineEv !== null) {
      if (!this.lineOpen) {
        this.lineOpen = true;
        this.lineSpec = spec;
        this.line = this.options.flowindent ? '' : probePrefix(this.lineEv);
      }
      this.line += text;
      return;
    }
    if (spec !== 0) this.specs.record(spec, text);
    else if (!this.silent) this.host.output(text);
  }

  /**
   * A firing of a clause that records data starts. When not quiet, DTrace prints each firing's
   * records on one line after `%3d %6d %32s ` (CPU, ID, FUNCTION:NAME) and ends it with a
   * newline (dtrace.c, chew and chewrec); the line is written whole, so that lines of
   * several threads and processes never interleave.
   */
  recordsBegin(ev: ProbeEvent, clause = 0): void {
    if (this.lineEv !== null) this.recordsEnd();
    // As dtrace(1M), flowindent prefixes lines even when quiet (and then ends none with a newline).
    if ((this.quiet && !this.options.flowindent) || this.format !== 'text') return;
    this.lineEv = ev;
    this.lineClause = clause;
    this.lineQuiet = this.quiet;
    this.lineOpen = false;
  }

  recordsEnd(): void {
    const ev = this.lineEv;
    if (ev === null) return;
    this.lineEv = null;
    if (!this.lineOpen) return;
    this.lineOpen = false;
    const text = this.lineQuiet ? this.line : `${this.line}\n`;
    this.line = '';
    if (this.options.flowindent) {
      const spec = this.lineSpec;
      this.flow.line(ev, this.lineClause, text, (t) => this.writeLine(t, spec, true));
    } else this.writeLine(text, this.lineSpec, false);
  }

  private writeLine(text: string, spec: number, flow: boolean): void {
    if (spec !== 0) this.specs.record(spec, text);
    else if (this.silent) return;
    else if (this.host.records !== undefined) this.host.records(text, flow);
    else this.host.output(text);
  }

  /**
   * strtok(s, delims): the next token of `s`, skipping leading delimiters; strtok(NULL, delims)
   * goes on in the string of the last call in this firing. No token left is the null string
   * (""), as is strtok(NULL, ...) with no string to go on in.
   */
  strtok(ev: ProbeEvent, s: string | null, delims: string): string {
    if (s !== null) {
      this.strtokEv = ev;
      this.strtokText = s;
      this.strtokPos = 0;
    } else if (this.strtokEv !== ev || this.strtokPos < 0) {
      return '';
    }
    const text = this.strtokText;
    let i = this.strtokPos;
    while (i < text.length && delims.includes(text[i]!)) i++;
    if (i >= text.length) {
      this.strtokPos = -1;
      return '';
    }
    let j = i;
    while (j < text.length && j - i < this.strsize && !delims.includes(text[j]!)) j++;
    this.strtokPos = j;
    return text.slice(i, j);
  }

  /** inet_ntop(af, addr): AF_INET reads 4 bytes, AF_INET6 16; any other family is a fault. */
  inetNtop(af: number | bigint, addr: unknown): string {
    const f = Number(af);
    if (f === AF_INET) return inetNtoa(this.scratch.read(addr, 4));
    if (f === AF_INET6) return inetNtoa6(this.scratch.read(addr, 16));
    throw new DFault('illegal-operation', `inet_ntop(): unknown address family ${String(af)}`);
  }

  /** bcopy(src, dst, n) and copyinto(src, n, dst): `dst` must be this clause's scratch. */
  bcopy(src: unknown, dst: number | bigint, n: number | bigint): void {
    const size = Number(n);
    if (!this.scratch.holds(dst)) throw invalidAddress(dst);
    const to = this.scratch.view(dst, size);
    to.set(this.scratch.read(src, size));
  }

  /** stringof() or copyinstr() of an integer: the string at a scratch address, else the number's digits. */
  memString(v: number | bigint): string {
    return this.scratch.holds(v) ? this.scratch.string(v, this.strsize) : toStr(v, this.strsize);
  }

  /** tracemem(addr, size[, dsize]): DTrace's hex dump of `size` bytes (of `dsize` when it is smaller and not negative). */
  tracemem(addr: unknown, size: number | bigint, dsize: number | bigint | undefined, spec: number): void {
    let n = Number(size);
    const bytes = this.scratch.read(addr, n);
    if (dsize !== undefined && Number(dsize) >= 0 && Number(dsize) < n) n = Number(dsize);
    const shown = bytes.subarray(0, n);
    if (this.format === 'json') this.emit(jsonLine('tracemem', Array.from(shown)), spec);
    else this.emit(rawbytes(shown), spec);
  }

  /** `size`: the byte size of the value's D integer type, 0 when it has none (a string, a JavaScript value). */
  trace(_ev: ProbeEvent, v: unknown, spec: number, size = 0): void {
    if (this.options.rawbytes && typeof v === 'string' && this.format !== 'json') {
      // As DTrace, with rawbytes a string is dumped as its whole strsize buffer.
      this.emit(rawbytes(this.scratch.read(v, this.strsize)), spec);
      return;
    }
    // Objects and functions print as toStr makes them: never their own toString or source text.
    const value = (typeof v === 'object' && v !== null) || typeof v === 'function' ? toStr(v, this.strsize) : v === undefined ? 0 : v;
    // dt_consume_cpu prints a record by its size, quiet or not: `%d` of a uint8_t or uint16_t
    // (so `(short)-1` is 65535), `%d` of a uint32_t (`(uint32_t)-1` is -1), `%lld` of 8 bytes.
    // A record holds bytes and a size, not a type, so `-f json` shows the same number.
    const width = TRACE_WIDTH[size];
    const converted = width !== undefined && (typeof value === 'number' || typeof value === 'bigint');
    if (this.format === 'json') this.emit(jsonLine('trace', converted ? keyInt(value, width) : value), spec);
    else {
      const text = typeof value === 'string' ? traceString(value) : converted ? keyIntString(value, width) : String(value);
      if (this.quiet) this.emit(text, spec);
      // DTrace's widths when not quiet: strings `  %-33s`, integers ` %3d`/` %5d`/` %8d`/` %16lld` by size.
      else if (typeof value === 'string') this.emit(`  ${text.padEnd(33)}`, spec);
      else this.emit(` ${text.padStart(width ?? 16)}`, spec);
    }
  }

  /**
   * DTrace's default action: `%3d %6d %32s ` then a newline (dtrace.c, chew and chewrec),
   * with the thread id in the CPU column. Quiet mode prints nothing, as in DTrace.
   */
  probeLine(ev: ProbeEvent, spec: number): void {
    if (this.quiet && !this.options.flowindent) return;
    const p = ev.probe;
    if (this.format === 'json') {
      const data = { cpu: ev.tid, id: p.id, provider: p.provider, module: p.module, function: p.func, name: p.name };
      this.emit(jsonLine('probe', data), spec);
      return;
    }
    // The line's prefix alone: recordsEnd ends it.
    this.emit('', spec);
  }

  printf(_ev: ProbeEvent, fmt: string, args: PrintfArg[], spec: number): void {
    const text = printf(fmt, args);
    this.emit(this.format === 'json' ? jsonLine('printf', text) : text, spec);
  }

  printa(fmt: string | null, aggIndexes: readonly number[], spec: number): void {
    const aggs = aggIndexes.map((i) => this.aggs[i]!);
    if (this.format === 'json') {
      for (const a of aggs) this.emit(jsonLine('printa', aggregationToJson(a, this.options)), spec);
      return;
    }
    this.emit(fmt === null ? printaDefault(aggs, this.options) : printaFormatted(compiled(fmt), aggs, this.options), spec);
  }

  exit(status: number | bigint): void {
    if (this.lineEv !== null) this.emit('', 0);
    if (this.silent || (this.exitStatus !== null && !this.ending)) return;
    const first = this.exitStatus === null;
    this.exitStatus = Number(status);
    if (first) this.onExit();
    this.host.exit(this.exitStatus);
  }

  clear(i: number): void {
    this.aggs[i]!.clear();
  }

  trunc(i: number, n?: number): void {
    this.aggs[i]!.trunc(n);
  }

  normalize(i: number, n: number | bigint): void {
    if (toInt(n) <= 0) throw new DFault('illegal-operation', `normalize(): factor must be positive, not ${String(n)}`);
    this.aggs[i]!.normalize(n);
  }

  denormalize(i: number): void {
    this.aggs[i]!.denormalize();
  }

  /** Takes effect for what the clause does after it, as DTrace's consumer applies it in record order. */
  setopt(name: string, value: string): void {
    applyOption(this.options, name, value);
    this.optionChanges.push([name, value]);
  }

  speculate(id: number): number {
    return this.specs.target(id, 'speculate');
  }

  speculation(): number {
    return this.specs.acquire();
  }

  commit(id: number): void {
    for (const text of this.specs.commit(id)) if (!this.silent) this.host.output(text);
  }

  discard(id: number): void {
    this.specs.discard(id);
  }

  /** Without a depth (0), `stackframes` or `ustackframes` frames. */
  stack(depth: number, user: boolean): string {
    return jsStack(depth > 0 ? depth : user ? this.options.ustackframes : this.options.stackframes, this.options.stackindent);
  }

  rand(): number {
    return (Math.random() * 0x80000000) | 0;
  }

  cwd(): string {
    return process.cwd();
  }

  vtimestamp(): number {
    return cpuNs();
  }

  walltimestamp(): number | bigint {
    return wallNs();
  }

  errno(ev: ProbeEvent): number | bigint {
    const e = ev.error;
    const n = readMember(e, 'errno');
    if (n === undefined) return e === undefined ? 0 : 1;
    // Node's system errors carry negative errno values (-2 for ENOENT); D's errno is positive.
    const v = toInt(n);
    return v < 0 ? neg(v) : v;
  }

  errmsg(ev: ProbeEvent): string {
    const e = ev.error;
    if (typeof e === 'string') return e;
    return toStr(readMember(e, 'message'), this.strsize);
  }

  fault(clause: number, error: unknown, ev: ProbeEvent): void {
    // As DTrace, a faulting firing's records are dropped.
    this.lineEv = null;
    this.lineOpen = false;
    this.line = '';
    if (isInternalError(error)) this.internalErrors++;
    else this.faults++;
    this.onFault(clause, error, ev);
  }

  warn(text: string): void {
    if (this.host.warn !== undefined) this.host.warn(text);
  }
}

/** What DTrace prints once above the first `CPU ID FUNCTION:NAME` line of a run. */
export const RECORDS_HEADER = `${'CPU'.padStart(3)} ${'ID'.padStart(6)} ${'FUNCTION:NAME'.padStart(32)}\n`;

/** A writer of record lines that puts RECORDS_HEADER (FLOW_HEADER above flowindent's lines) above the first. */
export function recordsWithHeader(write: (text: string) => void): (text: string, flow?: boolean) => void {
  let headed = false;
  return (text, flow) => {
    if (!headed) {
      headed = true;
      write(flow === true ? FLOW_HEADER : RECORDS_HEADER);
    }
    write(text);
  };
}

const TRACE_WIDTH: Record<number, number> = { 1: 3, 2: 5, 4: 8, 8: 16 };

/** `%3d %6d %32s `: the CPU column holds the thread id, as a JavaScript thread has no CPU. */
function probePrefix(ev: ProbeEvent): string {
  const p = ev.probe;
  return `${String(ev.tid).padStart(3)} ${String(p.id).padStart(6)} ${escapeText(`${p.func}:${p.name}`).padStart(32)} `;
}

/**
 * A clause's exception that no D program can cause: not a D fault, nor the stack running out
 * (a probe can fire at any depth). Generated code that throws anything else is a compiler bug.
 */
export function isInternalError(error: unknown): boolean {
  if (error instanceof DFault) return false;
  return !(error instanceof RangeError && /call stack/i.test(error.message));
}
