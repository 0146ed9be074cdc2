import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { decryptSecret, encryptSecret, SecretUnreadableError } from "~/lib/secrets.server";
import { receiveTrackingMorePush } from "~/pipeline/push-apply/push.server";
import { loader as dashboardLoader } from "~/routes/app._index/route";
import { loader as settingsLoader } from "~/routes/app.settings/route";
import { seedTracking } from "../status/helpers";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";
import { TEST_ENCRYPTION_KEY } from "../support/env";
import { callRoute } from "../support/routes";
import { embeddedFetchRequest, seedOfflineSession } from "../support/shopify";

// Secrets at rest (TrackingMore API key, account email) are AES-256-GCM. A tag shorter than 16
// bytes would verify by its prefix, so it is refused; a secret another key wrote (the operator
// changed TRACKBRIDGE_ENCRYPTION_KEY) is a visible "enter it again" state, not 500s.
const ourKey = Buffer.from(TEST_ENCRYPTION_KEY, "hex");
const otherKey = Buffer.alloc(32, 7);

describe("secrets at rest", () => {
  it("refuses a truncated authentication tag", () => {
    const stored = encryptSecret("tm-secret-key-123456", ourKey);
    const [version, iv, tag, ciphertext] = stored.split(":");
    const truncated = [
      version,
      iv,
      Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url"),
      ciphertext,
    ].join(":");
    expect(decryptSecret(stored, ourKey)).toBe("tm-secret-key-123456");
    expect(() => decryptSecret(truncated, ourKey)).toThrow(SecretUnreadableError);
  });

  it("turns secrets written with another key into an 'enter it again' state, with no 500s", async () => {
    const shop = "wrong-key.myshopify.com";
    const email = "owner@wrong-key.example";
    await seedOfflineSession(shop);
    await prisma.shopSettings.create({
      data: {
        shop,
        trackingMoreApiKeyCipher: encryptSecret("tm-written-elsewhere-0001", otherKey),
        trackingMoreApiKeyHint: "••••0001",
        trackingMoreAccountEmailCipher: encryptSecret(email, otherKey),
      },
    });
    await seedTracking(shop, "WRONGKEY0001");

    const settings = await callRoute(settingsLoader, embeddedFetchRequest("/app/settings", shop));
    expect(settings.status).toBe(200);
    expect(
      ((await settings.json()) as { settings: { unreadableSecrets: string[] } }).settings.unreadableSecrets,
    ).toEqual(["apiKey", "accountEmail"]);
    expect((await callRoute(dashboardLoader, embeddedFetchRequest("/app", shop))).status).toBe(200);

    const push = await receiveTrackingMorePush(
      signedPushBody(email, wireTracking({ trackingNumber: "WRONGKEY0001", status: "delivered" })),
    );
    expect(push).toMatchObject({ httpStatus: 200, result: "bad_signature" });
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "WRONGKEY0001" } })).toBe(0);
  });
});
