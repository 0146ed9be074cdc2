/**
 * The emulator's notion of "now". By default it is real time plus whatever tests skipped
 * ahead with advance(); frozen clocks only move through advance(), so a test controls
 * every second that passes.
 */
export interface EmulatorClockOptions {
  /** Start time in ms since the epoch; default Date.now(). */
  startAt?: number;
  /** When true, time only moves via advance(). Default false. */
  frozen?: boolean;
}

export class EmulatorClock {
  private offsetMs = 0;
  private readonly frozenAt: number | null;
  private readonly realStartedAt = Date.now();
  private readonly startAt: number;
  private readonly listeners: (() => void)[] = [];

  constructor(opts: EmulatorClockOptions = {}) {
    this.startAt = opts.startAt ?? this.realStartedAt;
    this.frozenAt = opts.frozen ? this.startAt : null;
  }

  now(): number {
    const base = this.frozenAt ?? this.startAt + (Date.now() - this.realStartedAt);
    return base + this.offsetMs;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new Error("clock.advance needs a non-negative number of ms");
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
    return this.now();
  }

  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
