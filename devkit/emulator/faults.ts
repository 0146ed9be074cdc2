import { seededRandom } from "../random";

/** "4019" (balance insufficient) only comes from the scripted `next` queue, never the dice. */
export type FaultKind = "500" | "503" | "429" | "4019" | "drop" | "dropAfter" | "timeout";

export interface FaultConfig {
  /** Shares of requests (0..1) answered with that fault; they add up, in this order. */
  error500?: number;
  error503?: number;
  error429?: number;
  /** Socket destroyed without an answer. */
  drop?: number;
  /** The request is carried out, then the socket is destroyed: the answer is lost, not the work. */
  dropAfter?: number;
  /** Never answered; the request hangs until the client gives up. */
  timeout?: number;
  /** Added to every /v2 answer, in real milliseconds. */
  latencyMs?: number;
  /** Seed for the fault dice; default 1. */
  seed?: number;
  /** Faults for the next requests, in order, before any dice are rolled ("ok" lets one through). */
  next?: (FaultKind | "ok")[];
  /** Only requests whose endpoint (e.g. "POST /trackings/batch") is listed get faults. */
  endpoints?: string[];
}

export class FaultInjector {
  private config: FaultConfig = {};
  private queue: (FaultKind | "ok")[] = [];
  private random = seededRandom(1);

  constructor(config?: FaultConfig) {
    if (config) this.set(config);
  }

  set(config: FaultConfig): void {
    this.config = { ...config };
    this.queue = [...(config.next ?? [])];
    this.random = seededRandom(config.seed ?? 1);
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  pick(endpoint: string): FaultKind | null {
    if (this.config.endpoints && !this.config.endpoints.includes(endpoint)) return null;
    const scripted = this.queue.shift();
    if (scripted) return scripted === "ok" ? null : scripted;
    const shares: [FaultKind, number | undefined][] = [
      ["500", this.config.error500],
      ["503", this.config.error503],
      ["429", this.config.error429],
      ["drop", this.config.drop],
      ["dropAfter", this.config.dropAfter],
      ["timeout", this.config.timeout],
    ];
    if (!shares.some(([, share]) => share)) return null;
    const roll = this.random();
    let edge = 0;
    for (const [kind, share] of shares) {
      edge += share ?? 0;
      if (roll < edge) return kind;
    }
    return null;
  }
}
