// App-data metafields: values of the app installation that the theme app extension reads in
// Liquid as `app.metafields.trackbridge.*` (app/models/tracking-url/proxy-path.server.ts).
export const CURRENT_APP_INSTALLATION = `#graphql
  query TrackBridgeCurrentAppInstallation {
    currentAppInstallation { id }
  }` as const;

export const APP_DATA_METAFIELDS_SET = `#graphql
  mutation TrackBridgeAppDataMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { namespace key value }
      userErrors { field message }
    }
  }` as const;
