// What the app reads of the shop itself at install: where its parcels ship from (carrier names
// mean different carriers by country) and the time zone the admin shows dates in.
export const SHOP_COUNTRY = `#graphql
  query TrackBridgeShopCountry {
    shop { shopAddress { countryCodeV2 } }
  }` as const;

export const SHOP_TIME_ZONE = `#graphql
  query TrackBridgeShopTimeZone {
    shop { ianaTimezone }
  }` as const;
