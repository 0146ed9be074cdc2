// The app's public URL, as `application_url` in shopify.app.toml (test/extensions/ checks they
// agree): a customer-account extension calls the app on its own origin, by absolute URL.
export const APP_URL = "https://trackbridge.example.com";
