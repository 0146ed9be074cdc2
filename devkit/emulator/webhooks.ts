import { trackingMorePush, type TrackingMorePush } from "../trackingmore-wire";

export interface WebhookDelivery {
  url: string;
  trackingNumber: string;
  carrierCode: string;
  status: string;
  /** The receiver's HTTP status; null when the POST itself failed. */
  httpStatus: number | null;
  error?: string;
  body: TrackingMorePush;
}

/**
 * Sends pushes in the background and keeps what happened, so tests can await them with
 * flush(). One attempt per push: the emulator does not model TrackingMore's retries.
 */
export class WebhookDispatcher {
  private readonly pending = new Set<Promise<void>>();
  private done: WebhookDelivery[] = [];
  sent = 0;

  send(url: string, email: string, data: Record<string, unknown>): void {
    // Wall-clock seconds, not the emulator clock: receivers check freshness against real time.
    const body = trackingMorePush(email, data, String(Math.floor(Date.now() / 1000)));
    const delivery: WebhookDelivery = {
      url,
      trackingNumber: String(data.tracking_number),
      carrierCode: String(data.carrier_code),
      status: String(data.status),
      httpStatus: null,
      body,
    };
    this.sent++;
    const job = fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (response) => {
        delivery.httpStatus = response.status;
        await response.arrayBuffer();
      })
      .catch((error: unknown) => {
        delivery.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.done.push(delivery);
        this.pending.delete(job);
      });
    this.pending.add(job);
  }

  /** Waits for every push in flight and returns the ones finished since the last flush. */
  async flush(): Promise<WebhookDelivery[]> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const finished = this.done;
    this.done = [];
    return finished;
  }
}
