import { vtimeUsers, type ProbeDescription, type ProbeEvent } from '../core/index.js';
// Not lang's index: a traced process runs the program mscope compiled and never loads the compiler.
import { ProgramInstance, type Host, type ProgramDelta } from '../lang/runtime/instance.js';
import type { CompiledProgram } from '../lang/program.js';
import type { ClauseEvents } from '../lang/compile.js';
// The direct binding's link alone: mscope, which runs ConsumerProgram, never loads the remote bindings.
import { link, type LinkHandle, type LinkOptions } from '../weaver/link.js';

/** What a clause declares about its events when linked: whether it keeps them, what of them it reads. */
export type ClauseEventUse = Pick<LinkOptions, 'keepsEvents' | 'readsArgs' | 'readsThis' | 'readsEvent'>;

/** What clause `c` declares when its probes are linked, and nothing else of it (ClauseInfo also has a `binding`). */
export function clauseEventUse(c: ClauseEvents): ClauseEventUse {
  return { keepsEvents: c.keepsEvents, readsArgs: c.readsArgs, readsThis: c.readsThis, readsEvent: c.readsEvent };
}

/** Links one probe description of clause `clause`; the weaver's `link` unless the caller keeps count of its links. */
export type ClauseLinker = (
  description: ProbeDescription,
  monitor: (ev: ProbeEvent) => void,
  clause: number,
  use: ClauseEventUse,
) => LinkHandle;

const weaverLink: ClauseLinker = (description, monitor, _clause, use) => link(description, monitor, use);

/**
 * Links every probe clause of a program, one link per description, in clause order, into `into`.
 * A program that reads `vtime` is counted in core's `vtimeUsers` until `unlinkClauses`.
 */
export function linkClauses(instance: ProgramInstance, linker: ClauseLinker = weaverLink, into: LinkHandle[] = []): LinkHandle[] {
  if (instance.readsVtime) vtimeUsers.count++;
  for (const c of instance.program.clauses) {
    for (const spec of c.probes) {
      if (spec.description === null) continue;
      into.push(linker(spec.description, instance.clause(c.index), c.index, clauseEventUse(c)));
    }
  }
  return into;
}

/** Unlinks what `linkClauses` linked into `links`, once, and empties it. */
export function unlinkClauses(instance: ProgramInstance, links: LinkHandle[], linked: boolean): void {
  for (const l of links) l.unlink();
  links.length = 0;
  if (linked && instance.readsVtime) vtimeUsers.count--;
}

/**
 * A D program in a traced process (DTrace's consumer model, agent side): BEGIN runs silently
 * so that globals are set, the probe clauses are linked, and aggregation deltas are handed
 * out; mscope (src/consumer) runs BEGIN, tick-N and END and prints.
 */
export class AgentProgram {
  readonly instance: ProgramInstance;
  private readonly links: LinkHandle[] = [];
  private started = false;
  private finished = false;
  private linked = false;

  constructor(
    program: CompiledProgram,
    host: Host,
    private readonly linker: ClauseLinker = weaverLink,
  ) {
    this.instance = new ProgramInstance(program, host);
  }

  /** The clause links this program made, in clause order. */
  get linkHandles(): readonly LinkHandle[] {
    return this.links;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const instance = this.instance;
    instance.onExit = () => this.unlinkAll();
    instance.begin(true);
    if (instance.exitStatus === null) {
      this.linked = true;
      linkClauses(instance, this.linker, this.links);
    }
  }

  takeDelta(): ProgramDelta {
    return this.instance.takeDelta();
  }

  /** Merges what a shm or message clause of this process recorded: it travels on with the next delta. */
  applyDelta(delta: ProgramDelta): void {
    this.instance.applyDelta(delta);
  }

  /** Unlinks every clause; END and printing are the consumer's. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.unlinkAll();
    this.instance.close();
  }

  private unlinkAll(): void {
    unlinkClauses(this.instance, this.links, this.linked);
    this.linked = false;
  }
}
