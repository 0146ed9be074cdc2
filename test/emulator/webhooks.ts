import { createHmac } from "node:crypto";

export interface WebhookDelivery {
  url: string;
  trackingNumber: string;
  carrierCode: string;
  status: string;
  /** The receiver's HTTP status; null when the POST itself failed. */
  httpStatus: number | null;
  error?: string;
  body: { meta: object; data: Record<string, unknown>; verifyInfo: { timeStr: string; signature: string } };
}

/** TrackingMore's push signature: hex HMAC-SHA256 of timeStr, keyed with the account email. */
export function signWebhook(email: string, timeStr: string): string {
  return createHmac("sha256", email).update(timeStr).digest("hex");
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
    const timeStr = String(Math.floor(Date.now() / 1000));
    const body = {
      meta: { code: 200, type: "Success", message: "Success" },
      data,
      verifyInfo: { timeStr, signature: signWebhook(email, timeStr) },
    };
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
