// The environment every test process runs with: a real configuration, pointing at nothing
// outside this machine.
export const TEST_API_KEY = "test-api-key-0123456789abcdef";
export const TEST_API_SECRET = "test-api-secret-0123456789abcdef";
export const TEST_APP_URL = "https://trackbridge.test";
export const TEST_SCOPES = "read_orders,read_fulfillments,write_fulfillments,write_app_proxy";
export const TEST_ENCRYPTION_KEY = "0".repeat(62) + "2a";
/** The test app as Shopify knows it, for the Shopify fakes (devkit/shopify). */
export const TEST_APP = { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: TEST_APP_URL };

export function applyTestEnvironment(env: NodeJS.ProcessEnv = process.env) {
  env.NODE_ENV = "test";
  env.SHOPIFY_API_KEY = TEST_API_KEY;
  env.SHOPIFY_API_SECRET = TEST_API_SECRET;
  env.SHOPIFY_APP_URL = TEST_APP_URL;
  env.SCOPES = TEST_SCOPES;
  env.TRACKBRIDGE_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  env.TRACKINGMORE_BASE_URL ??= "http://127.0.0.1:1/v2";
  env.RUN_WORKER_IN_WEB = "false";
  env.LOG_LEVEL ??= "silent";
}
