export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  ARN: { input: string; output: string; }
  BigInt: { input: string; output: string; }
  Color: { input: string; output: string; }
  Date: { input: string; output: string; }
  DateTime: { input: string; output: string; }
  Decimal: { input: string; output: string; }
  FormattedString: { input: string; output: string; }
  HTML: { input: string; output: string; }
  JSON: { input: unknown; output: unknown; }
  Money: { input: string; output: string; }
  StorefrontID: { input: string; output: string; }
  URL: { input: string; output: string; }
  UnsignedInt64: { input: string; output: string; }
  UtcOffset: { input: string; output: string; }
};

export type AbandonedCheckoutSortKeys =
  | 'CHECKOUT_ID'
  | 'CREATED_AT'
  | 'CUSTOMER_NAME'
  | 'ID'
  | 'RELEVANCE'
  | 'TOTAL_PRICE';

export type AbandonmentAbandonmentType =
  | 'BROWSE'
  | 'CART'
  | 'CHECKOUT';

export type AbandonmentDeliveryState =
  | 'NOT_SENT'
  | 'SCHEDULED'
  | 'SENT';

export type AbandonmentEmailState =
  | 'NOT_SENT'
  | 'SCHEDULED'
  | 'SENT';

export type AbandonmentEmailStateUpdateUserErrorCode =
  | 'ABANDONMENT_NOT_FOUND';

export type AbandonmentUpdateActivitiesDeliveryStatusesUserErrorCode =
  | 'ABANDONMENT_NOT_FOUND'
  | 'DELIVERY_STATUS_INFO_NOT_FOUND'
  | 'MARKETING_ACTIVITY_NOT_FOUND';

export type AccountType =
  | 'COLLABORATOR'
  | 'COLLABORATOR_TEAM_MEMBER'
  | 'INVITED'
  | 'INVITED_STORE_OWNER'
  | 'REGULAR'
  | 'REQUESTED'
  | 'RESTRICTED'
  | 'SAML';

export type AdjustmentsSortKeys =
  | 'ID'
  | 'TIME';

export type AppDeveloperType =
  | 'MERCHANT'
  | 'PARTNER'
  | 'SHOPIFY'
  | 'UNKNOWN';

export type AppInstallationCategory =
  | 'CHANNEL'
  | 'POS_EMBEDDED';

export type AppInstallationPrivacy =
  | 'PRIVATE'
  | 'PUBLIC';

export type AppInstallationSortKeys =
  | 'APP_TITLE'
  | 'ID'
  | 'INSTALLED_AT';

export type AppPlanInput = {
  appRecurringPricingDetails?: InputMaybe<AppRecurringPricingInput>;
  appUsagePricingDetails?: InputMaybe<AppUsagePricingInput>;
};

export type AppPricingInterval =
  | 'ANNUAL'
  | 'EVERY_30_DAYS';

export type AppPublicCategory =
  | 'CUSTOM'
  | 'OTHER'
  | 'PRIVATE'
  | 'PUBLIC';

export type AppPurchaseStatus =
  | 'ACCEPTED'
  | 'ACTIVE'
  | 'DECLINED'
  | 'EXPIRED'
  | 'PENDING';

export type AppRecurringPricingInput = {
  discount?: InputMaybe<AppSubscriptionDiscountInput>;
  interval?: InputMaybe<AppPricingInterval>;
  price: MoneyInput;
};

export type AppRevenueAttributionRecordSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type AppRevenueAttributionType =
  | 'APPLICATION_PURCHASE'
  | 'APPLICATION_SUBSCRIPTION'
  | 'APPLICATION_USAGE'
  | 'OTHER';

export type AppRevokeAccessScopesAppRevokeScopeErrorCode =
  | 'APPLICATION_CANNOT_BE_FOUND'
  | 'APP_NOT_INSTALLED'
  | 'CANNOT_REVOKE_IMPLIED_SCOPES'
  | 'CANNOT_REVOKE_REQUIRED_SCOPES'
  | 'CANNOT_REVOKE_UNDECLARED_SCOPES'
  | 'MISSING_SOURCE_APP'
  | 'UNKNOWN_SCOPES';

export type AppSubscriptionDiscountInput = {
  durationLimitInIntervals?: InputMaybe<Scalars['Int']['input']>;
  value?: InputMaybe<AppSubscriptionDiscountValueInput>;
};

export type AppSubscriptionDiscountValueInput = {
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type AppSubscriptionLineItemInput = {
  plan: AppPlanInput;
};

export type AppSubscriptionReplacementBehavior =
  | 'APPLY_IMMEDIATELY'
  | 'APPLY_ON_NEXT_BILLING_CYCLE'
  | 'STANDARD';

export type AppSubscriptionSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type AppSubscriptionStatus =
  | 'ACCEPTED'
  | 'ACTIVE'
  | 'CANCELLED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'FROZEN'
  | 'PENDING';

export type AppSubscriptionTrialExtendUserErrorCode =
  | 'SUBSCRIPTION_NOT_ACTIVE'
  | 'SUBSCRIPTION_NOT_FOUND'
  | 'TRIAL_NOT_ACTIVE';

export type AppTransactionSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type AppUninstallAppUninstallErrorCode =
  | 'APP_NOT_FOUND'
  | 'APP_NOT_INSTALLED'
  | 'APP_UNINSTALL_ERROR'
  | 'USER_PERMISSIONS_INSUFFICIENT';

export type AppUsagePricingInput = {
  cappedAmount: MoneyInput;
  terms: Scalars['String']['input'];
};

export type AppUsageRecordSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type ArticleBlogInput = {
  title: Scalars['String']['input'];
};

export type ArticleCreateInput = {
  author: AuthorInput;
  blogId?: InputMaybe<Scalars['ID']['input']>;
  body?: InputMaybe<Scalars['HTML']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  image?: InputMaybe<ArticleImageInput>;
  isPublished?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
  summary?: InputMaybe<Scalars['HTML']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type ArticleCreateUserErrorCode =
  | 'AMBIGUOUS_AUTHOR'
  | 'AMBIGUOUS_BLOG'
  | 'AUTHOR_FIELD_REQUIRED'
  | 'AUTHOR_MUST_EXIST'
  | 'BLANK'
  | 'BLOG_REFERENCE_REQUIRED'
  | 'INVALID'
  | 'INVALID_PUBLISH_DATE'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'UPLOAD_FAILED';

export type ArticleDeleteUserErrorCode =
  | 'NOT_FOUND';

export type ArticleImageInput = {
  altText?: InputMaybe<Scalars['String']['input']>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type ArticleSortKeys =
  | 'AUTHOR'
  | 'BLOG_TITLE'
  | 'ID'
  | 'PUBLISHED_AT'
  | 'TITLE'
  | 'UPDATED_AT';

export type ArticleTagSort =
  | 'ALPHABETICAL'
  | 'POPULAR';

export type ArticleUpdateInput = {
  author?: InputMaybe<AuthorInput>;
  blogId?: InputMaybe<Scalars['ID']['input']>;
  body?: InputMaybe<Scalars['HTML']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  image?: InputMaybe<ArticleImageInput>;
  isPublished?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  summary?: InputMaybe<Scalars['HTML']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ArticleUpdateUserErrorCode =
  | 'AMBIGUOUS_AUTHOR'
  | 'AMBIGUOUS_BLOG'
  | 'AUTHOR_MUST_EXIST'
  | 'BLANK'
  | 'INVALID'
  | 'INVALID_PUBLISH_DATE'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'UPLOAD_FAILED';

export type AttributeInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type Audience =
  | 'CUSTOMERVIEW'
  | 'MERCHANTVIEW';

export type AuthorInput = {
  name?: InputMaybe<Scalars['String']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type AutomaticDiscountSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type BackupRegionUpdateInput = {
  countryCode: CountryCode;
};

export type BadgeType =
  | 'ATTENTION'
  | 'CRITICAL'
  | 'DEFAULT'
  | 'INFO'
  | 'SUCCESS'
  | 'WARNING';

export type BalanceTransactionSortKeys =
  | 'AMOUNT'
  | 'FEE'
  | 'ID'
  | 'NET'
  | 'ORDER_NAME'
  | 'PAYMENT_METHOD_NAME'
  | 'PAYOUT_DATE'
  | 'PAYOUT_STATUS'
  | 'PROCESSED_AT'
  | 'TRANSACTION_TYPE';

export type BankAccountHolderType =
  | 'COMPANY'
  | 'INDIVIDUAL';

export type BankAccountType =
  | 'CHECKING'
  | 'SAVINGS';

export type BankingFinanceAppAccess =
  | 'MONEY_MOVEMENT_BLOCKED_MFA'
  | 'MONEY_MOVEMENT_RESTRICTED'
  | 'MOVE_MONEY'
  | 'READ_ACCESS';

export type BillingAttemptUserErrorCode =
  | 'BILLING_CYCLE_CHARGE_BEFORE_EXPECTED_DATE'
  | 'BILLING_CYCLE_SKIPPED'
  | 'BLANK'
  | 'CONTRACT_NOT_FOUND'
  | 'CONTRACT_PAUSED'
  | 'CONTRACT_TERMINATED'
  | 'CONTRACT_UNDER_REVIEW'
  | 'CYCLE_INDEX_OUT_OF_RANGE'
  | 'CYCLE_START_DATE_OUT_OF_RANGE'
  | 'INVALID'
  | 'ORIGIN_TIME_BEFORE_CONTRACT_CREATION'
  | 'ORIGIN_TIME_OUT_OF_RANGE'
  | 'THROTTLED'
  | 'UPCOMING_CYCLE_LIMIT_EXCEEDED';

export type BlogCreateInput = {
  commentPolicy?: InputMaybe<CommentPolicy>;
  handle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type BlogCreateUserErrorCode =
  | 'INCLUSION'
  | 'INVALID'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'TOO_LONG';

export type BlogDeleteUserErrorCode =
  | 'NOT_FOUND';

export type BlogSortKeys =
  | 'HANDLE'
  | 'ID'
  | 'TITLE';

export type BlogUpdateInput = {
  commentPolicy?: InputMaybe<CommentPolicy>;
  handle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  redirectArticles?: InputMaybe<Scalars['Boolean']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type BlogUpdateUserErrorCode =
  | 'BLANK'
  | 'INCLUSION'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'TOO_LONG';

export type BulkMutationErrorCode =
  | 'INTERNAL_FILE_SERVER_ERROR'
  | 'INVALID_MUTATION'
  | 'INVALID_STAGED_UPLOAD_FILE'
  | 'LIMIT_REACHED'
  | 'NO_SUCH_FILE'
  | 'OPERATION_IN_PROGRESS';

export type BulkOperationErrorCode =
  | 'ACCESS_DENIED'
  | 'INTERNAL_SERVER_ERROR'
  | 'TIMEOUT';

export type BulkOperationStatus =
  | 'CANCELED'
  | 'CANCELING'
  | 'COMPLETED'
  | 'CREATED'
  | 'EXPIRED'
  | 'FAILED'
  | 'RUNNING';

export type BulkOperationType =
  | 'MUTATION'
  | 'QUERY';

export type BulkOperationUserErrorCode =
  | 'INVALID'
  | 'LIMIT_REACHED'
  | 'OPERATION_IN_PROGRESS';

export type BulkOperationsSortKeys =
  | 'COMPLETED_AT'
  | 'CREATED_AT';

export type BulkProductResourceFeedbackCreateUserErrorCode =
  | 'BLANK'
  | 'INVALID'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'MAXIMUM_FEEDBACK_LIMIT_EXCEEDED'
  | 'OUTDATED_FEEDBACK'
  | 'PRESENT'
  | 'PRODUCT_NOT_FOUND';

export type BundlesDraftOrderBundleLineItemComponentInput = {
  quantity: Scalars['Int']['input'];
  uuid?: InputMaybe<Scalars['String']['input']>;
  variantId?: InputMaybe<Scalars['ID']['input']>;
};

export type BusinessCustomerErrorCode =
  | 'BLANK'
  | 'FAILED_TO_DELETE'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_INPUT'
  | 'LIMIT_REACHED'
  | 'NO_INPUT'
  | 'REQUIRED'
  | 'RESOURCE_NOT_FOUND'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'UNEXPECTED_TYPE';

export type BuyerExperienceConfigurationInput = {
  checkoutToDraft?: InputMaybe<Scalars['Boolean']['input']>;
  deposit?: InputMaybe<DepositInput>;
  editableShippingAddress?: InputMaybe<Scalars['Boolean']['input']>;
  paymentTermsTemplateId?: InputMaybe<Scalars['ID']['input']>;
};

export type BuyerSignalInput = {
  countryCode: CountryCode;
};

export type CalculateExchangeLineItemInput = {
  appliedDiscount?: InputMaybe<ExchangeLineItemAppliedDiscountInput>;
  quantity: Scalars['Int']['input'];
  variantId?: InputMaybe<Scalars['ID']['input']>;
};

export type CalculateReturnInput = {
  exchangeLineItems?: InputMaybe<Array<CalculateExchangeLineItemInput>>;
  orderId: Scalars['ID']['input'];
  returnLineItems?: InputMaybe<Array<CalculateReturnLineItemInput>>;
  returnShippingFee?: InputMaybe<ReturnShippingFeeInput>;
};

export type CalculateReturnLineItemInput = {
  fulfillmentLineItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  restockingFee?: InputMaybe<RestockingFeeInput>;
};

export type CalculatedShippingLineStagedStatus =
  | 'ADDED'
  | 'NONE'
  | 'REMOVED';

export type CarrierServiceCreateUserErrorCode =
  | 'CARRIER_SERVICE_CREATE_FAILED';

export type CarrierServiceDeleteUserErrorCode =
  | 'CARRIER_SERVICE_DELETE_FAILED';

export type CarrierServiceSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'UPDATED_AT';

export type CarrierServiceUpdateUserErrorCode =
  | 'CARRIER_SERVICE_UPDATE_FAILED';

export type CartTransformCreateUserErrorCode =
  | 'FUNCTION_ALREADY_REGISTERED'
  | 'FUNCTION_DOES_NOT_IMPLEMENT'
  | 'FUNCTION_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'INVALID_METAFIELDS'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS';

export type CartTransformDeleteUserErrorCode =
  | 'NOT_FOUND'
  | 'UNAUTHORIZED_APP_SCOPE';

export type CashTrackingSessionTransactionsSortKeys =
  | 'ID'
  | 'PROCESSED_AT';

export type CashTrackingSessionsSortKeys =
  | 'CLOSING_TIME_ASC'
  | 'CLOSING_TIME_DESC'
  | 'ID'
  | 'OPENING_TIME_ASC'
  | 'OPENING_TIME_DESC'
  | 'TOTAL_DISCREPANCY_ASC'
  | 'TOTAL_DISCREPANCY_DESC';

export type CatalogContextInput = {
  companyLocationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  marketIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type CatalogCreateInput = {
  context: CatalogContextInput;
  priceListId?: InputMaybe<Scalars['ID']['input']>;
  publicationId?: InputMaybe<Scalars['ID']['input']>;
  status: CatalogStatus;
  title: Scalars['String']['input'];
};

export type CatalogSortKeys =
  | 'ID'
  | 'RELEVANCE'
  | 'TITLE'
  | 'TYPE';

export type CatalogStatus =
  | 'ACTIVE'
  | 'ARCHIVED'
  | 'DRAFT';

export type CatalogType =
  | 'APP'
  | 'COMPANY_LOCATION'
  | 'MARKET'
  | 'NONE';

export type CatalogUpdateInput = {
  context?: InputMaybe<CatalogContextInput>;
  priceListId?: InputMaybe<Scalars['ID']['input']>;
  publicationId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<CatalogStatus>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type CatalogUserErrorCode =
  | 'APP_CATALOG_PRICE_LIST_ASSIGNMENT'
  | 'BLANK'
  | 'CANNOT_ADD_MORE_THAN_ONE_MARKET'
  | 'CANNOT_CREATE_APP_CATALOG'
  | 'CANNOT_CREATE_MARKET_CATALOG'
  | 'CANNOT_DELETE_APP_CATALOG'
  | 'CANNOT_DELETE_MARKET_CATALOG'
  | 'CANNOT_MODIFY_APP_CATALOG'
  | 'CANNOT_MODIFY_MARKET_CATALOG'
  | 'CATALOG_CONTEXT_DOES_NOT_SUPPORT_QUANTITY_PRICE_BREAKS'
  | 'CATALOG_CONTEXT_DOES_NOT_SUPPORT_QUANTITY_RULES'
  | 'CATALOG_CONTEXT_LOCKED'
  | 'CATALOG_FAILED_TO_SAVE'
  | 'CATALOG_NOT_FOUND'
  | 'COMPANY_LOCATION_CATALOG_STATUS_PLAN'
  | 'COMPANY_LOCATION_NOT_FOUND'
  | 'CONTEXT_ALREADY_ASSIGNED_TO_CATALOG'
  | 'CONTEXT_CATALOG_LIMIT_REACHED'
  | 'CONTEXT_DRIVER_MISMATCH'
  | 'COUNTRY_CATALOG_PRICE_LIST_ASSIGNMENT'
  | 'COUNTRY_PRICE_LIST_ASSIGNMENT'
  | 'INVALID'
  | 'INVALID_CATALOG_CONTEXT_TYPE'
  | 'INVALID_CONTEXT_CHANGE'
  | 'MANAGED_COUNTRY_BELONGS_TO_ANOTHER_CATALOG'
  | 'MARKET_AND_PRICE_LIST_CURRENCY_MISMATCH'
  | 'MARKET_CATALOG_STATUS'
  | 'MARKET_NOT_FOUND'
  | 'MARKET_TAKEN'
  | 'MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE'
  | 'PRICE_LIST_FAILED_TO_SAVE'
  | 'PRICE_LIST_LOCKED'
  | 'PRICE_LIST_NOT_ALLOWED_FOR_PRIMARY_MARKET'
  | 'PRICE_LIST_NOT_FOUND'
  | 'PUBLICATION_NOT_FOUND'
  | 'REQUIRES_CONTEXTS_TO_ADD_OR_REMOVE'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNPERMITTED_ENTITLEMENTS_MARKET_CATALOGS'
  | 'UNSUPPORTED_CATALOG_ACTION';

export type CheckoutBrandingBackground =
  | 'BASE'
  | 'SUBDUED'
  | 'TRANSPARENT';

export type CheckoutBrandingBackgroundStyle =
  | 'NONE'
  | 'SOLID';

export type CheckoutBrandingBorder =
  | 'BLOCK_END'
  | 'FULL'
  | 'NONE';

export type CheckoutBrandingBorderStyle =
  | 'BASE'
  | 'DASHED'
  | 'DOTTED';

export type CheckoutBrandingBorderWidth =
  | 'BASE'
  | 'LARGE'
  | 'LARGE_100'
  | 'LARGE_200';

export type CheckoutBrandingButtonColorRolesInput = {
  accent?: InputMaybe<Scalars['String']['input']>;
  background?: InputMaybe<Scalars['String']['input']>;
  border?: InputMaybe<Scalars['String']['input']>;
  decorative?: InputMaybe<Scalars['String']['input']>;
  hover?: InputMaybe<CheckoutBrandingColorRolesInput>;
  icon?: InputMaybe<Scalars['String']['input']>;
  text?: InputMaybe<Scalars['String']['input']>;
};

export type CheckoutBrandingButtonInput = {
  background?: InputMaybe<CheckoutBrandingBackgroundStyle>;
  blockPadding?: InputMaybe<CheckoutBrandingSpacing>;
  border?: InputMaybe<CheckoutBrandingSimpleBorder>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
  inlinePadding?: InputMaybe<CheckoutBrandingSpacing>;
  typography?: InputMaybe<CheckoutBrandingTypographyStyleInput>;
};

export type CheckoutBrandingBuyerJourneyInput = {
  visibility?: InputMaybe<CheckoutBrandingVisibility>;
};

export type CheckoutBrandingCartLinkContentType =
  | 'ICON'
  | 'IMAGE'
  | 'TEXT';

export type CheckoutBrandingCartLinkInput = {
  visibility?: InputMaybe<CheckoutBrandingVisibility>;
};

export type CheckoutBrandingCheckboxInput = {
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
};

export type CheckoutBrandingChoiceListGroupInput = {
  spacing?: InputMaybe<CheckoutBrandingSpacingKeyword>;
};

export type CheckoutBrandingChoiceListInput = {
  group?: InputMaybe<CheckoutBrandingChoiceListGroupInput>;
};

export type CheckoutBrandingColorGlobalInput = {
  accent?: InputMaybe<Scalars['String']['input']>;
  brand?: InputMaybe<Scalars['String']['input']>;
  critical?: InputMaybe<Scalars['String']['input']>;
  decorative?: InputMaybe<Scalars['String']['input']>;
  info?: InputMaybe<Scalars['String']['input']>;
  success?: InputMaybe<Scalars['String']['input']>;
  warning?: InputMaybe<Scalars['String']['input']>;
};

export type CheckoutBrandingColorRolesInput = {
  accent?: InputMaybe<Scalars['String']['input']>;
  background?: InputMaybe<Scalars['String']['input']>;
  border?: InputMaybe<Scalars['String']['input']>;
  decorative?: InputMaybe<Scalars['String']['input']>;
  icon?: InputMaybe<Scalars['String']['input']>;
  text?: InputMaybe<Scalars['String']['input']>;
};

export type CheckoutBrandingColorSchemeInput = {
  base?: InputMaybe<CheckoutBrandingColorRolesInput>;
  control?: InputMaybe<CheckoutBrandingControlColorRolesInput>;
  primaryButton?: InputMaybe<CheckoutBrandingButtonColorRolesInput>;
  secondaryButton?: InputMaybe<CheckoutBrandingButtonColorRolesInput>;
};

export type CheckoutBrandingColorSchemeSelection =
  | 'COLOR_SCHEME1'
  | 'COLOR_SCHEME2'
  | 'COLOR_SCHEME3'
  | 'COLOR_SCHEME4'
  | 'TRANSPARENT';

export type CheckoutBrandingColorSchemesInput = {
  scheme1?: InputMaybe<CheckoutBrandingColorSchemeInput>;
  scheme2?: InputMaybe<CheckoutBrandingColorSchemeInput>;
  scheme3?: InputMaybe<CheckoutBrandingColorSchemeInput>;
  scheme4?: InputMaybe<CheckoutBrandingColorSchemeInput>;
};

export type CheckoutBrandingColorSelection =
  | 'TRANSPARENT';

export type CheckoutBrandingColorsInput = {
  global?: InputMaybe<CheckoutBrandingColorGlobalInput>;
  schemes?: InputMaybe<CheckoutBrandingColorSchemesInput>;
};

export type CheckoutBrandingContainerDividerInput = {
  borderStyle?: InputMaybe<CheckoutBrandingBorderStyle>;
  borderWidth?: InputMaybe<CheckoutBrandingBorderWidth>;
  visibility?: InputMaybe<CheckoutBrandingVisibility>;
};

export type CheckoutBrandingContentInput = {
  divider?: InputMaybe<CheckoutBrandingContainerDividerInput>;
};

export type CheckoutBrandingControlColorRolesInput = {
  accent?: InputMaybe<Scalars['String']['input']>;
  background?: InputMaybe<Scalars['String']['input']>;
  border?: InputMaybe<Scalars['String']['input']>;
  decorative?: InputMaybe<Scalars['String']['input']>;
  icon?: InputMaybe<Scalars['String']['input']>;
  selected?: InputMaybe<CheckoutBrandingColorRolesInput>;
  text?: InputMaybe<Scalars['String']['input']>;
};

export type CheckoutBrandingControlInput = {
  border?: InputMaybe<CheckoutBrandingSimpleBorder>;
  color?: InputMaybe<CheckoutBrandingColorSelection>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
  labelPosition?: InputMaybe<CheckoutBrandingLabelPosition>;
};

export type CheckoutBrandingCornerRadius =
  | 'BASE'
  | 'LARGE'
  | 'NONE'
  | 'SMALL';

export type CheckoutBrandingCornerRadiusVariablesInput = {
  base?: InputMaybe<Scalars['Int']['input']>;
  large?: InputMaybe<Scalars['Int']['input']>;
  small?: InputMaybe<Scalars['Int']['input']>;
};

export type CheckoutBrandingCustomFontGroupInput = {
  base: CheckoutBrandingCustomFontInput;
  bold: CheckoutBrandingCustomFontInput;
  loadingStrategy?: InputMaybe<CheckoutBrandingFontLoadingStrategy>;
};

export type CheckoutBrandingCustomFontInput = {
  genericFileId: Scalars['ID']['input'];
  weight: Scalars['Int']['input'];
};

export type CheckoutBrandingCustomizationsInput = {
  buyerJourney?: InputMaybe<CheckoutBrandingBuyerJourneyInput>;
  cartLink?: InputMaybe<CheckoutBrandingCartLinkInput>;
  checkbox?: InputMaybe<CheckoutBrandingCheckboxInput>;
  choiceList?: InputMaybe<CheckoutBrandingChoiceListInput>;
  content?: InputMaybe<CheckoutBrandingContentInput>;
  control?: InputMaybe<CheckoutBrandingControlInput>;
  divider?: InputMaybe<CheckoutBrandingDividerStyleInput>;
  expressCheckout?: InputMaybe<CheckoutBrandingExpressCheckoutInput>;
  favicon?: InputMaybe<CheckoutBrandingImageInput>;
  footer?: InputMaybe<CheckoutBrandingFooterInput>;
  global?: InputMaybe<CheckoutBrandingGlobalInput>;
  header?: InputMaybe<CheckoutBrandingHeaderInput>;
  headingLevel1?: InputMaybe<CheckoutBrandingHeadingLevelInput>;
  headingLevel2?: InputMaybe<CheckoutBrandingHeadingLevelInput>;
  headingLevel3?: InputMaybe<CheckoutBrandingHeadingLevelInput>;
  main?: InputMaybe<CheckoutBrandingMainInput>;
  merchandiseThumbnail?: InputMaybe<CheckoutBrandingMerchandiseThumbnailInput>;
  orderSummary?: InputMaybe<CheckoutBrandingOrderSummaryInput>;
  primaryButton?: InputMaybe<CheckoutBrandingButtonInput>;
  secondaryButton?: InputMaybe<CheckoutBrandingButtonInput>;
  select?: InputMaybe<CheckoutBrandingSelectInput>;
  textField?: InputMaybe<CheckoutBrandingTextFieldInput>;
};

export type CheckoutBrandingDesignSystemInput = {
  colors?: InputMaybe<CheckoutBrandingColorsInput>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadiusVariablesInput>;
  typography?: InputMaybe<CheckoutBrandingTypographyInput>;
};

export type CheckoutBrandingDividerStyleInput = {
  borderStyle?: InputMaybe<CheckoutBrandingBorderStyle>;
  borderWidth?: InputMaybe<CheckoutBrandingBorderWidth>;
};

export type CheckoutBrandingExpressCheckoutButtonInput = {
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
};

export type CheckoutBrandingExpressCheckoutInput = {
  button?: InputMaybe<CheckoutBrandingExpressCheckoutButtonInput>;
};

export type CheckoutBrandingFontGroupInput = {
  customFontGroup?: InputMaybe<CheckoutBrandingCustomFontGroupInput>;
  shopifyFontGroup?: InputMaybe<CheckoutBrandingShopifyFontGroupInput>;
};

export type CheckoutBrandingFontLoadingStrategy =
  | 'AUTO'
  | 'BLOCK'
  | 'FALLBACK'
  | 'OPTIONAL'
  | 'SWAP';

export type CheckoutBrandingFontSizeInput = {
  base?: InputMaybe<Scalars['Float']['input']>;
  ratio?: InputMaybe<Scalars['Float']['input']>;
};

export type CheckoutBrandingFooterAlignment =
  | 'CENTER'
  | 'END'
  | 'START';

export type CheckoutBrandingFooterContentInput = {
  visibility?: InputMaybe<CheckoutBrandingVisibility>;
};

export type CheckoutBrandingFooterInput = {
  alignment?: InputMaybe<CheckoutBrandingFooterAlignment>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  content?: InputMaybe<CheckoutBrandingFooterContentInput>;
  divided?: InputMaybe<Scalars['Boolean']['input']>;
  padding?: InputMaybe<CheckoutBrandingSpacingKeyword>;
  position?: InputMaybe<CheckoutBrandingFooterPosition>;
};

export type CheckoutBrandingFooterPosition =
  | 'END'
  | 'INLINE';

export type CheckoutBrandingGlobalCornerRadius =
  | 'NONE';

export type CheckoutBrandingGlobalInput = {
  cornerRadius?: InputMaybe<CheckoutBrandingGlobalCornerRadius>;
  typography?: InputMaybe<CheckoutBrandingTypographyStyleGlobalInput>;
};

export type CheckoutBrandingHeaderAlignment =
  | 'CENTER'
  | 'END'
  | 'START';

export type CheckoutBrandingHeaderCartLinkInput = {
  contentType?: InputMaybe<CheckoutBrandingCartLinkContentType>;
  image?: InputMaybe<CheckoutBrandingImageInput>;
};

export type CheckoutBrandingHeaderInput = {
  alignment?: InputMaybe<CheckoutBrandingHeaderAlignment>;
  banner?: InputMaybe<CheckoutBrandingImageInput>;
  cartLink?: InputMaybe<CheckoutBrandingHeaderCartLinkInput>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  divided?: InputMaybe<Scalars['Boolean']['input']>;
  logo?: InputMaybe<CheckoutBrandingLogoInput>;
  padding?: InputMaybe<CheckoutBrandingSpacingKeyword>;
  position?: InputMaybe<CheckoutBrandingHeaderPosition>;
};

export type CheckoutBrandingHeaderPosition =
  | 'INLINE'
  | 'INLINE_SECONDARY'
  | 'START';

export type CheckoutBrandingHeadingLevelInput = {
  typography?: InputMaybe<CheckoutBrandingTypographyStyleInput>;
};

export type CheckoutBrandingImageInput = {
  mediaImageId?: InputMaybe<Scalars['ID']['input']>;
};

export type CheckoutBrandingInput = {
  customizations?: InputMaybe<CheckoutBrandingCustomizationsInput>;
  designSystem?: InputMaybe<CheckoutBrandingDesignSystemInput>;
};

export type CheckoutBrandingLabelPosition =
  | 'INSIDE'
  | 'OUTSIDE';

export type CheckoutBrandingLogoInput = {
  image?: InputMaybe<CheckoutBrandingImageInput>;
  maxWidth?: InputMaybe<Scalars['Int']['input']>;
  visibility?: InputMaybe<CheckoutBrandingVisibility>;
};

export type CheckoutBrandingMainInput = {
  backgroundImage?: InputMaybe<CheckoutBrandingImageInput>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  divider?: InputMaybe<CheckoutBrandingContainerDividerInput>;
  section?: InputMaybe<CheckoutBrandingMainSectionInput>;
};

export type CheckoutBrandingMainSectionInput = {
  background?: InputMaybe<CheckoutBrandingBackground>;
  border?: InputMaybe<CheckoutBrandingSimpleBorder>;
  borderStyle?: InputMaybe<CheckoutBrandingBorderStyle>;
  borderWidth?: InputMaybe<CheckoutBrandingBorderWidth>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
  padding?: InputMaybe<CheckoutBrandingSpacingKeyword>;
  shadow?: InputMaybe<CheckoutBrandingShadow>;
};

export type CheckoutBrandingMerchandiseThumbnailBadgeBackground =
  | 'ACCENT'
  | 'BASE';

export type CheckoutBrandingMerchandiseThumbnailBadgeInput = {
  background?: InputMaybe<CheckoutBrandingMerchandiseThumbnailBadgeBackground>;
};

export type CheckoutBrandingMerchandiseThumbnailInput = {
  badge?: InputMaybe<CheckoutBrandingMerchandiseThumbnailBadgeInput>;
  border?: InputMaybe<CheckoutBrandingSimpleBorder>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
  fit?: InputMaybe<CheckoutBrandingObjectFit>;
};

export type CheckoutBrandingObjectFit =
  | 'CONTAIN'
  | 'COVER';

export type CheckoutBrandingOrderSummaryInput = {
  backgroundImage?: InputMaybe<CheckoutBrandingImageInput>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  divider?: InputMaybe<CheckoutBrandingContainerDividerInput>;
  section?: InputMaybe<CheckoutBrandingOrderSummarySectionInput>;
};

export type CheckoutBrandingOrderSummarySectionInput = {
  background?: InputMaybe<CheckoutBrandingBackground>;
  border?: InputMaybe<CheckoutBrandingSimpleBorder>;
  borderStyle?: InputMaybe<CheckoutBrandingBorderStyle>;
  borderWidth?: InputMaybe<CheckoutBrandingBorderWidth>;
  colorScheme?: InputMaybe<CheckoutBrandingColorSchemeSelection>;
  cornerRadius?: InputMaybe<CheckoutBrandingCornerRadius>;
  padding?: InputMaybe<CheckoutBrandingSpacingKeyword>;
  shadow?: InputMaybe<CheckoutBrandingShadow>;
};

export type CheckoutBrandingSelectInput = {
  border?: InputMaybe<CheckoutBrandingBorder>;
  typography?: InputMaybe<CheckoutBrandingTypographyStyleInput>;
};

export type CheckoutBrandingShadow =
  | 'BASE'
  | 'LARGE_100'
  | 'LARGE_200'
  | 'SMALL_100'
  | 'SMALL_200';

export type CheckoutBrandingShopifyFontGroupInput = {
  baseWeight?: InputMaybe<Scalars['Int']['input']>;
  boldWeight?: InputMaybe<Scalars['Int']['input']>;
  loadingStrategy?: InputMaybe<CheckoutBrandingFontLoadingStrategy>;
  name: Scalars['String']['input'];
};

export type CheckoutBrandingSimpleBorder =
  | 'FULL'
  | 'NONE';

export type CheckoutBrandingSpacing =
  | 'BASE'
  | 'EXTRA_LOOSE'
  | 'EXTRA_TIGHT'
  | 'LOOSE'
  | 'NONE'
  | 'TIGHT';

export type CheckoutBrandingSpacingKeyword =
  | 'BASE'
  | 'LARGE'
  | 'LARGE_100'
  | 'LARGE_200'
  | 'LARGE_300'
  | 'LARGE_400'
  | 'LARGE_500'
  | 'NONE'
  | 'SMALL'
  | 'SMALL_100'
  | 'SMALL_200'
  | 'SMALL_300'
  | 'SMALL_400'
  | 'SMALL_500';

export type CheckoutBrandingTextFieldInput = {
  border?: InputMaybe<CheckoutBrandingBorder>;
  typography?: InputMaybe<CheckoutBrandingTypographyStyleInput>;
};

export type CheckoutBrandingTypographyFont =
  | 'PRIMARY'
  | 'SECONDARY';

export type CheckoutBrandingTypographyInput = {
  primary?: InputMaybe<CheckoutBrandingFontGroupInput>;
  secondary?: InputMaybe<CheckoutBrandingFontGroupInput>;
  size?: InputMaybe<CheckoutBrandingFontSizeInput>;
};

export type CheckoutBrandingTypographyKerning =
  | 'BASE'
  | 'EXTRA_LOOSE'
  | 'LOOSE';

export type CheckoutBrandingTypographyLetterCase =
  | 'LOWER'
  | 'NONE'
  | 'TITLE'
  | 'UPPER';

export type CheckoutBrandingTypographySize =
  | 'BASE'
  | 'EXTRA_EXTRA_LARGE'
  | 'EXTRA_LARGE'
  | 'EXTRA_SMALL'
  | 'LARGE'
  | 'MEDIUM'
  | 'SMALL';

export type CheckoutBrandingTypographyStyleGlobalInput = {
  kerning?: InputMaybe<CheckoutBrandingTypographyKerning>;
  letterCase?: InputMaybe<CheckoutBrandingTypographyLetterCase>;
};

export type CheckoutBrandingTypographyStyleInput = {
  font?: InputMaybe<CheckoutBrandingTypographyFont>;
  kerning?: InputMaybe<CheckoutBrandingTypographyKerning>;
  letterCase?: InputMaybe<CheckoutBrandingTypographyLetterCase>;
  size?: InputMaybe<CheckoutBrandingTypographySize>;
  weight?: InputMaybe<CheckoutBrandingTypographyWeight>;
};

export type CheckoutBrandingTypographyWeight =
  | 'BASE'
  | 'BOLD';

export type CheckoutBrandingUpsertUserErrorCode =
  | 'INTERNAL_ERROR';

export type CheckoutBrandingVisibility =
  | 'HIDDEN'
  | 'VISIBLE';

export type CheckoutProfileSortKeys =
  | 'CREATED_AT'
  | 'EDITED_AT'
  | 'ID'
  | 'IS_PUBLISHED'
  | 'UPDATED_AT';

export type ChildProductRelationInput = {
  childProductId: Scalars['ID']['input'];
  selectedParentOptionValues: Array<SelectedVariantOptionInput>;
};

export type CodeDiscountSortKeys =
  | 'CREATED_AT'
  | 'ENDS_AT'
  | 'ID'
  | 'RELEVANCE'
  | 'STARTS_AT'
  | 'TITLE'
  | 'UPDATED_AT';

export type CollectionAddProductsV2UserErrorCode =
  | 'CANT_ADD_TO_SMART_COLLECTION'
  | 'COLLECTION_DOES_NOT_EXIST';

export type CollectionDeleteInput = {
  id: Scalars['ID']['input'];
};

export type CollectionDuplicateInput = {
  collectionId: Scalars['ID']['input'];
  copyPublications?: InputMaybe<Scalars['Boolean']['input']>;
  newTitle: Scalars['String']['input'];
};

export type CollectionDuplicateOperationRole =
  | 'SOURCE'
  | 'TARGET';

export type CollectionDuplicateUserErrorCode =
  | 'COLLECTION_NOT_FOUND';

export type CollectionIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type CollectionInput = {
  descriptionHtml?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  image?: InputMaybe<ImageInput>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  products?: InputMaybe<Array<Scalars['ID']['input']>>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  ruleSet?: InputMaybe<CollectionRuleSetInput>;
  seo?: InputMaybe<SeoInput>;
  sortOrder?: InputMaybe<CollectionSortOrder>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type CollectionPublicationInput = {
  publicationId?: InputMaybe<Scalars['ID']['input']>;
};

export type CollectionPublishInput = {
  collectionPublications: Array<CollectionPublicationInput>;
  id: Scalars['ID']['input'];
};

export type CollectionReorderProductsUserErrorCode =
  | 'COLLECTION_NOT_FOUND'
  | 'INVALID_MOVE'
  | 'MANUALLY_SORTED_COLLECTION'
  | 'TOO_MANY_ATTEMPTS_TO_REORDER_PRODUCTS';

export type CollectionRuleColumn =
  | 'IS_PRICE_REDUCED'
  | 'PRODUCT_CATEGORY_ID'
  | 'PRODUCT_CATEGORY_ID_WITH_DESCENDANTS'
  | 'PRODUCT_METAFIELD_DEFINITION'
  | 'PRODUCT_TAXONOMY_NODE_ID'
  | 'TAG'
  | 'TITLE'
  | 'TYPE'
  | 'VARIANT_COMPARE_AT_PRICE'
  | 'VARIANT_INVENTORY'
  | 'VARIANT_METAFIELD_DEFINITION'
  | 'VARIANT_PRICE'
  | 'VARIANT_TITLE'
  | 'VARIANT_WEIGHT'
  | 'VENDOR';

export type CollectionRuleInput = {
  column: CollectionRuleColumn;
  condition: Scalars['String']['input'];
  conditionObjectId?: InputMaybe<Scalars['ID']['input']>;
  relation: CollectionRuleRelation;
};

export type CollectionRuleRelation =
  | 'CONTAINS'
  | 'ENDS_WITH'
  | 'EQUALS'
  | 'GREATER_THAN'
  | 'IS_NOT_SET'
  | 'IS_SET'
  | 'LESS_THAN'
  | 'NOT_CONTAINS'
  | 'NOT_EQUALS'
  | 'STARTS_WITH';

export type CollectionRuleSetInput = {
  appliedDisjunctively: Scalars['Boolean']['input'];
  rules?: InputMaybe<Array<CollectionRuleInput>>;
};

export type CollectionSortKeys =
  | 'ID'
  | 'RELEVANCE'
  | 'TITLE'
  | 'UPDATED_AT';

export type CollectionSortOrder =
  | 'ALPHA_ASC'
  | 'ALPHA_DESC'
  | 'BEST_SELLING'
  | 'CREATED'
  | 'CREATED_DESC'
  | 'MANUAL'
  | 'PRICE_ASC'
  | 'PRICE_DESC';

export type CollectionUnpublishInput = {
  collectionPublications: Array<CollectionPublicationInput>;
  id: Scalars['ID']['input'];
};

export type ColumnDataType =
  | 'ARRAY'
  | 'BOOLEAN'
  | 'DAY_DURATION'
  | 'DAY_OF_WEEK'
  | 'DAY_TIMESTAMP'
  | 'DECIMAL'
  | 'FLOAT'
  | 'HOUR_DURATION'
  | 'HOUR_OF_DAY'
  | 'HOUR_TIMESTAMP'
  | 'IDENTITY'
  | 'INTEGER'
  | 'MILLISECOND_DURATION'
  | 'MINUTE_DURATION'
  | 'MINUTE_TIMESTAMP'
  | 'MONEY'
  | 'MONTH_OF_YEAR'
  | 'MONTH_TIMESTAMP'
  | 'PERCENT'
  | 'QUARTER_TIMESTAMP'
  | 'SECOND_DURATION'
  | 'SECOND_TIMESTAMP'
  | 'STRING'
  | 'TIMESTAMP'
  | 'UNSPECIFIED'
  | 'WEEK_OF_YEAR'
  | 'WEEK_TIMESTAMP'
  | 'YEAR_TIMESTAMP';

export type CombinedListingUpdateUserErrorCode =
  | 'CANNOT_HAVE_DUPLICATED_PRODUCTS'
  | 'CANNOT_HAVE_PARENT_AS_CHILD'
  | 'CANNOT_HAVE_REPEATED_OPTIONS'
  | 'CANNOT_HAVE_REPEATED_OPTION_VALUES'
  | 'CANT_ADD_OPTIONS_VALUES_IF_ALREADY_EXISTS'
  | 'COMBINED_LISTINGS_NOT_ENABLED'
  | 'EDIT_AND_REMOVE_ON_SAME_PRODUCTS'
  | 'FAILED_TO_ADD_PRODUCTS'
  | 'FAILED_TO_REMOVE_PRODUCTS'
  | 'FAILED_TO_UPDATE_PRODUCTS'
  | 'LINKED_METAFIELDS_CANNOT_BE_REPEATED'
  | 'LINKED_METAFIELD_CANNOT_BE_CHANGED'
  | 'LINKED_METAFIELD_VALUE_MISSING'
  | 'LINKED_OPTIONS_NOT_SUPPORTED_FOR_SHOP'
  | 'MISSING_OPTION_VALUES'
  | 'MUST_HAVE_SELECTED_OPTION_VALUES'
  | 'OPTIONS_MUST_BE_EQUAL_TO_THE_OTHER_COMPONENTS'
  | 'OPTION_NAME_CANNOT_BE_BLANK'
  | 'OPTION_NAME_CONTAINS_INVALID_CHARACTERS'
  | 'OPTION_NOT_FOUND'
  | 'OPTION_VALUES_CANNOT_BE_BLANK'
  | 'OPTION_VALUES_CANNOT_BE_EMPTY'
  | 'OPTION_VALUES_MUST_BE_COMPLETE'
  | 'PARENT_PRODUCT_CANNOT_BE_COMBINED_LISTING_CHILD'
  | 'PARENT_PRODUCT_MUST_BE_A_COMBINED_LISTING'
  | 'PARENT_PRODUCT_MUST_HAVE_CATEGORY'
  | 'PARENT_PRODUCT_NOT_FOUND'
  | 'PRODUCT_IS_ALREADY_A_CHILD'
  | 'PRODUCT_MEMBERSHIP_NOT_FOUND'
  | 'PRODUCT_NOT_FOUND'
  | 'TITLE_TOO_LONG'
  | 'TOO_MANY_PRODUCTS'
  | 'TOO_MANY_VARIANTS'
  | 'UNEXPECTED_ERROR';

export type CombinedListingsRole =
  | 'CHILD'
  | 'PARENT';

export type CommentApproveUserErrorCode =
  | 'NOT_FOUND';

export type CommentDeleteUserErrorCode =
  | 'NOT_FOUND';

export type CommentNotSpamUserErrorCode =
  | 'NOT_FOUND';

export type CommentPolicy =
  | 'AUTO_PUBLISHED'
  | 'CLOSED'
  | 'MODERATED';

export type CommentSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type CommentSpamUserErrorCode =
  | 'NOT_FOUND';

export type CommentStatus =
  | 'PENDING'
  | 'PUBLISHED'
  | 'REMOVED'
  | 'SPAM'
  | 'UNAPPROVED';

export type CompanyAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  countryCode?: InputMaybe<CountryCode>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  recipient?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
  zoneCode?: InputMaybe<Scalars['String']['input']>;
};

export type CompanyAddressType =
  | 'BILLING'
  | 'SHIPPING';

export type CompanyContactInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type CompanyContactRoleAssign = {
  companyContactRoleId: Scalars['ID']['input'];
  companyLocationId: Scalars['ID']['input'];
};

export type CompanyContactRoleAssignmentSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'LOCATION_NAME'
  | 'UPDATED_AT';

export type CompanyContactRoleSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'UPDATED_AT';

export type CompanyContactSortKeys =
  | 'COMPANY_ID'
  | 'CREATED_AT'
  | 'EMAIL'
  | 'ID'
  | 'NAME'
  | 'NAME_EMAIL'
  | 'RELEVANCE'
  | 'TITLE'
  | 'UPDATED_AT';

export type CompanyCreateInput = {
  company: CompanyInput;
  companyContact?: InputMaybe<CompanyContactInput>;
  companyLocation?: InputMaybe<CompanyLocationInput>;
};

export type CompanyInput = {
  customerSince?: InputMaybe<Scalars['DateTime']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
};

export type CompanyLocationInput = {
  billingAddress?: InputMaybe<CompanyAddressInput>;
  billingSameAsShipping?: InputMaybe<Scalars['Boolean']['input']>;
  buyerExperienceConfiguration?: InputMaybe<BuyerExperienceConfigurationInput>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<CompanyAddressInput>;
  taxExempt?: InputMaybe<Scalars['Boolean']['input']>;
  taxExemptions?: InputMaybe<Array<TaxExemption>>;
  taxRegistrationId?: InputMaybe<Scalars['String']['input']>;
};

export type CompanyLocationRoleAssign = {
  companyContactId: Scalars['ID']['input'];
  companyContactRoleId: Scalars['ID']['input'];
};

export type CompanyLocationSortKeys =
  | 'COMPANY_AND_LOCATION_NAME'
  | 'COMPANY_ID'
  | 'CREATED_AT'
  | 'ID'
  | 'NAME'
  | 'RELEVANCE'
  | 'UPDATED_AT';

export type CompanyLocationStaffMemberAssignmentSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'UPDATED_AT';

export type CompanyLocationUpdateInput = {
  buyerExperienceConfiguration?: InputMaybe<BuyerExperienceConfigurationInput>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CompanySortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'NAME'
  | 'ORDER_COUNT'
  | 'SINCE_DATE'
  | 'TOTAL_SPENT'
  | 'UPDATED_AT';

export type ConsentPolicyErrorCode =
  | 'COUNTRY_CODE_REQUIRED'
  | 'REGION_CODE_MUST_MATCH_COUNTRY_CODE'
  | 'REGION_CODE_REQUIRED'
  | 'SHOPIFY_COOKIE_BANNER_NOT_DISABLED'
  | 'UNSUPORTED_CONSENT_POLICY';

export type ConsentPolicyInput = {
  consentRequired?: InputMaybe<Scalars['Boolean']['input']>;
  countryCode?: InputMaybe<PrivacyCountryCode>;
  dataSaleOptOutRequired?: InputMaybe<Scalars['Boolean']['input']>;
  regionCode?: InputMaybe<Scalars['String']['input']>;
};

export type ContextualPricingContext = {
  companyLocationId?: InputMaybe<Scalars['ID']['input']>;
  country?: InputMaybe<CountryCode>;
  locationId?: InputMaybe<Scalars['ID']['input']>;
};

export type ContextualPublicationContext = {
  companyLocationId?: InputMaybe<Scalars['ID']['input']>;
  country?: InputMaybe<CountryCode>;
  locationId?: InputMaybe<Scalars['ID']['input']>;
};

export type CountPrecision =
  | 'AT_LEAST'
  | 'EXACT';

export type CountryCode =
  | 'AC'
  | 'AD'
  | 'AE'
  | 'AF'
  | 'AG'
  | 'AI'
  | 'AL'
  | 'AM'
  | 'AN'
  | 'AO'
  | 'AR'
  | 'AT'
  | 'AU'
  | 'AW'
  | 'AX'
  | 'AZ'
  | 'BA'
  | 'BB'
  | 'BD'
  | 'BE'
  | 'BF'
  | 'BG'
  | 'BH'
  | 'BI'
  | 'BJ'
  | 'BL'
  | 'BM'
  | 'BN'
  | 'BO'
  | 'BQ'
  | 'BR'
  | 'BS'
  | 'BT'
  | 'BV'
  | 'BW'
  | 'BY'
  | 'BZ'
  | 'CA'
  | 'CC'
  | 'CD'
  | 'CF'
  | 'CG'
  | 'CH'
  | 'CI'
  | 'CK'
  | 'CL'
  | 'CM'
  | 'CN'
  | 'CO'
  | 'CR'
  | 'CU'
  | 'CV'
  | 'CW'
  | 'CX'
  | 'CY'
  | 'CZ'
  | 'DE'
  | 'DJ'
  | 'DK'
  | 'DM'
  | 'DO'
  | 'DZ'
  | 'EC'
  | 'EE'
  | 'EG'
  | 'EH'
  | 'ER'
  | 'ES'
  | 'ET'
  | 'FI'
  | 'FJ'
  | 'FK'
  | 'FO'
  | 'FR'
  | 'GA'
  | 'GB'
  | 'GD'
  | 'GE'
  | 'GF'
  | 'GG'
  | 'GH'
  | 'GI'
  | 'GL'
  | 'GM'
  | 'GN'
  | 'GP'
  | 'GQ'
  | 'GR'
  | 'GS'
  | 'GT'
  | 'GW'
  | 'GY'
  | 'HK'
  | 'HM'
  | 'HN'
  | 'HR'
  | 'HT'
  | 'HU'
  | 'ID'
  | 'IE'
  | 'IL'
  | 'IM'
  | 'IN'
  | 'IO'
  | 'IQ'
  | 'IR'
  | 'IS'
  | 'IT'
  | 'JE'
  | 'JM'
  | 'JO'
  | 'JP'
  | 'KE'
  | 'KG'
  | 'KH'
  | 'KI'
  | 'KM'
  | 'KN'
  | 'KP'
  | 'KR'
  | 'KW'
  | 'KY'
  | 'KZ'
  | 'LA'
  | 'LB'
  | 'LC'
  | 'LI'
  | 'LK'
  | 'LR'
  | 'LS'
  | 'LT'
  | 'LU'
  | 'LV'
  | 'LY'
  | 'MA'
  | 'MC'
  | 'MD'
  | 'ME'
  | 'MF'
  | 'MG'
  | 'MK'
  | 'ML'
  | 'MM'
  | 'MN'
  | 'MO'
  | 'MQ'
  | 'MR'
  | 'MS'
  | 'MT'
  | 'MU'
  | 'MV'
  | 'MW'
  | 'MX'
  | 'MY'
  | 'MZ'
  | 'NA'
  | 'NC'
  | 'NE'
  | 'NF'
  | 'NG'
  | 'NI'
  | 'NL'
  | 'NO'
  | 'NP'
  | 'NR'
  | 'NU'
  | 'NZ'
  | 'OM'
  | 'PA'
  | 'PE'
  | 'PF'
  | 'PG'
  | 'PH'
  | 'PK'
  | 'PL'
  | 'PM'
  | 'PN'
  | 'PS'
  | 'PT'
  | 'PY'
  | 'QA'
  | 'RE'
  | 'RO'
  | 'RS'
  | 'RU'
  | 'RW'
  | 'SA'
  | 'SB'
  | 'SC'
  | 'SD'
  | 'SE'
  | 'SG'
  | 'SH'
  | 'SI'
  | 'SJ'
  | 'SK'
  | 'SL'
  | 'SM'
  | 'SN'
  | 'SO'
  | 'SR'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'SX'
  | 'SY'
  | 'SZ'
  | 'TA'
  | 'TC'
  | 'TD'
  | 'TF'
  | 'TG'
  | 'TH'
  | 'TJ'
  | 'TK'
  | 'TL'
  | 'TM'
  | 'TN'
  | 'TO'
  | 'TR'
  | 'TT'
  | 'TV'
  | 'TW'
  | 'TZ'
  | 'UA'
  | 'UG'
  | 'UM'
  | 'US'
  | 'UY'
  | 'UZ'
  | 'VA'
  | 'VC'
  | 'VE'
  | 'VG'
  | 'VN'
  | 'VU'
  | 'WF'
  | 'WS'
  | 'XK'
  | 'YE'
  | 'YT'
  | 'ZA'
  | 'ZM'
  | 'ZW'
  | 'ZZ';

export type CountryHarmonizedSystemCodeInput = {
  countryCode?: InputMaybe<CountryCode>;
  harmonizedSystemCode: Scalars['String']['input'];
};

export type CreateMediaInput = {
  alt?: InputMaybe<Scalars['String']['input']>;
  mediaContentType: MediaContentType;
  originalSource: Scalars['String']['input'];
};

export type CropRegion =
  | 'BOTTOM'
  | 'CENTER'
  | 'LEFT'
  | 'RIGHT'
  | 'TOP';

export type CurrencyCode =
  | 'AED'
  | 'AFN'
  | 'ALL'
  | 'AMD'
  | 'ANG'
  | 'AOA'
  | 'ARS'
  | 'AUD'
  | 'AWG'
  | 'AZN'
  | 'BAM'
  | 'BBD'
  | 'BDT'
  | 'BGN'
  | 'BHD'
  | 'BIF'
  | 'BMD'
  | 'BND'
  | 'BOB'
  | 'BRL'
  | 'BSD'
  | 'BTN'
  | 'BWP'
  | 'BYN'
  | 'BYR'
  | 'BZD'
  | 'CAD'
  | 'CDF'
  | 'CHF'
  | 'CLP'
  | 'CNY'
  | 'COP'
  | 'CRC'
  | 'CVE'
  | 'CZK'
  | 'DJF'
  | 'DKK'
  | 'DOP'
  | 'DZD'
  | 'EGP'
  | 'ERN'
  | 'ETB'
  | 'EUR'
  | 'FJD'
  | 'FKP'
  | 'GBP'
  | 'GEL'
  | 'GHS'
  | 'GIP'
  | 'GMD'
  | 'GNF'
  | 'GTQ'
  | 'GYD'
  | 'HKD'
  | 'HNL'
  | 'HRK'
  | 'HTG'
  | 'HUF'
  | 'IDR'
  | 'ILS'
  | 'INR'
  | 'IQD'
  | 'IRR'
  | 'ISK'
  | 'JEP'
  | 'JMD'
  | 'JOD'
  | 'JPY'
  | 'KES'
  | 'KGS'
  | 'KHR'
  | 'KID'
  | 'KMF'
  | 'KRW'
  | 'KWD'
  | 'KYD'
  | 'KZT'
  | 'LAK'
  | 'LBP'
  | 'LKR'
  | 'LRD'
  | 'LSL'
  | 'LTL'
  | 'LVL'
  | 'LYD'
  | 'MAD'
  | 'MDL'
  | 'MGA'
  | 'MKD'
  | 'MMK'
  | 'MNT'
  | 'MOP'
  | 'MRU'
  | 'MUR'
  | 'MVR'
  | 'MWK'
  | 'MXN'
  | 'MYR'
  | 'MZN'
  | 'NAD'
  | 'NGN'
  | 'NIO'
  | 'NOK'
  | 'NPR'
  | 'NZD'
  | 'OMR'
  | 'PAB'
  | 'PEN'
  | 'PGK'
  | 'PHP'
  | 'PKR'
  | 'PLN'
  | 'PYG'
  | 'QAR'
  | 'RON'
  | 'RSD'
  | 'RUB'
  | 'RWF'
  | 'SAR'
  | 'SBD'
  | 'SCR'
  | 'SDG'
  | 'SEK'
  | 'SGD'
  | 'SHP'
  | 'SLL'
  | 'SOS'
  | 'SRD'
  | 'SSP'
  | 'STD'
  | 'STN'
  | 'SYP'
  | 'SZL'
  | 'THB'
  | 'TJS'
  | 'TMT'
  | 'TND'
  | 'TOP'
  | 'TRY'
  | 'TTD'
  | 'TWD'
  | 'TZS'
  | 'UAH'
  | 'UGX'
  | 'USD'
  | 'USDC'
  | 'UYU'
  | 'UZS'
  | 'VED'
  | 'VEF'
  | 'VES'
  | 'VND'
  | 'VUV'
  | 'WST'
  | 'XAF'
  | 'XCD'
  | 'XOF'
  | 'XPF'
  | 'XXX'
  | 'YER'
  | 'ZAR'
  | 'ZMW';

export type CustomShippingPackageInput = {
  default?: InputMaybe<Scalars['Boolean']['input']>;
  dimensions?: InputMaybe<ObjectDimensionsInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<ShippingPackageType>;
  weight?: InputMaybe<WeightInput>;
};

export type CustomerAccountNativePagePageType =
  | 'NATIVE_ORDERS'
  | 'NATIVE_PROFILE'
  | 'NATIVE_SETTINGS'
  | 'UNKNOWN';

export type CustomerAccountsVersion =
  | 'CLASSIC'
  | 'NEW_CUSTOMER_ACCOUNTS';

export type CustomerCancelDataErasureErrorCode =
  | 'DOES_NOT_EXIST'
  | 'FAILED_TO_CANCEL'
  | 'NOT_BEING_ERASED'
  | 'UNAUTHORIZED_CANCELLATION';

export type CustomerConsentCollectedFrom =
  | 'OTHER'
  | 'SHOPIFY';

export type CustomerDeleteInput = {
  id: Scalars['ID']['input'];
};

export type CustomerEmailAddressMarketingState =
  | 'INVALID'
  | 'NOT_SUBSCRIBED'
  | 'PENDING'
  | 'SUBSCRIBED'
  | 'UNSUBSCRIBED';

export type CustomerEmailAddressOpenTrackingLevel =
  | 'OPTED_IN'
  | 'OPTED_OUT'
  | 'UNKNOWN';

export type CustomerEmailMarketingConsentInput = {
  consentUpdatedAt?: InputMaybe<Scalars['DateTime']['input']>;
  marketingOptInLevel?: InputMaybe<CustomerMarketingOptInLevel>;
  marketingState: CustomerEmailMarketingState;
  sourceLocationId?: InputMaybe<Scalars['ID']['input']>;
};

export type CustomerEmailMarketingConsentUpdateInput = {
  customerId: Scalars['ID']['input'];
  emailMarketingConsent: CustomerEmailMarketingConsentInput;
};

export type CustomerEmailMarketingConsentUpdateUserErrorCode =
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'MISSING_ARGUMENT';

export type CustomerEmailMarketingState =
  | 'INVALID'
  | 'NOT_SUBSCRIBED'
  | 'PENDING'
  | 'REDACTED'
  | 'SUBSCRIBED'
  | 'UNSUBSCRIBED';

export type CustomerIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  emailAddress?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  emailMarketingConsent?: InputMaybe<CustomerEmailMarketingConsentInput>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  multipassIdentifier?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  smsMarketingConsent?: InputMaybe<CustomerSmsMarketingConsentInput>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  taxExempt?: InputMaybe<Scalars['Boolean']['input']>;
  taxExemptions?: InputMaybe<Array<TaxExemption>>;
};

export type CustomerMarketingOptInLevel =
  | 'CONFIRMED_OPT_IN'
  | 'SINGLE_OPT_IN'
  | 'UNKNOWN';

export type CustomerMergeErrorCode =
  | 'CUSTOMER_HAS_GIFT_CARDS'
  | 'INTERNAL_ERROR'
  | 'INVALID_CUSTOMER'
  | 'INVALID_CUSTOMER_ID'
  | 'MISSING_OVERRIDE_ATTRIBUTE'
  | 'OVERRIDE_ATTRIBUTE_INVALID';

export type CustomerMergeErrorFieldType =
  | 'COMPANY_CONTACT'
  | 'CUSTOMER_PAYMENT_METHODS'
  | 'DELETED_AT'
  | 'GIFT_CARDS'
  | 'MERGE_IN_PROGRESS'
  | 'MULTIPASS_IDENTIFIER'
  | 'OVERRIDE_FIELDS'
  | 'PENDING_DATA_REQUEST'
  | 'REDACTED_AT'
  | 'STORE_CREDIT'
  | 'SUBSCRIPTIONS';

export type CustomerMergeOverrideFields = {
  customerIdOfDefaultAddressToKeep?: InputMaybe<Scalars['ID']['input']>;
  customerIdOfEmailToKeep?: InputMaybe<Scalars['ID']['input']>;
  customerIdOfFirstNameToKeep?: InputMaybe<Scalars['ID']['input']>;
  customerIdOfLastNameToKeep?: InputMaybe<Scalars['ID']['input']>;
  customerIdOfPhoneNumberToKeep?: InputMaybe<Scalars['ID']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CustomerMergeRequestStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'REQUESTED';

export type CustomerPaymentMethodCreateFromDuplicationDataUserErrorCode =
  | 'CUSTOMER_DOES_NOT_EXIST'
  | 'INVALID_ENCRYPTED_DUPLICATION_DATA'
  | 'TOO_MANY_REQUESTS';

export type CustomerPaymentMethodGetDuplicationDataUserErrorCode =
  | 'CUSTOMER_DOES_NOT_EXIST'
  | 'INVALID_INSTRUMENT'
  | 'INVALID_ORGANIZATION_SHOP'
  | 'PAYMENT_METHOD_DOES_NOT_EXIST'
  | 'SAME_SHOP'
  | 'TOO_MANY_REQUESTS';

export type CustomerPaymentMethodGetUpdateUrlUserErrorCode =
  | 'CUSTOMER_DOES_NOT_EXIST'
  | 'INVALID_INSTRUMENT'
  | 'PAYMENT_METHOD_DOES_NOT_EXIST'
  | 'TOO_MANY_REQUESTS';

export type CustomerPaymentMethodRemoteInput = {
  authorizeNetCustomerPaymentProfile?: InputMaybe<RemoteAuthorizeNetCustomerPaymentProfileInput>;
  braintreePaymentMethod?: InputMaybe<RemoteBraintreePaymentMethodInput>;
  stripePaymentMethod?: InputMaybe<RemoteStripePaymentMethodInput>;
};

export type CustomerPaymentMethodRemoteUserErrorCode =
  | 'AUTHORIZE_NET_NOT_ENABLED_FOR_SUBSCRIPTIONS'
  | 'BRAINTREE_NOT_ENABLED_FOR_SUBSCRIPTIONS'
  | 'EXACTLY_ONE_REMOTE_REFERENCE_REQUIRED'
  | 'INVALID'
  | 'PRESENT'
  | 'TAKEN';

export type CustomerPaymentMethodRevocationReason =
  | 'AUTHORIZE_NET_GATEWAY_NOT_ENABLED'
  | 'AUTHORIZE_NET_RETURNED_NO_PAYMENT_METHOD'
  | 'BRAINTREE_API_AUTHENTICATION_ERROR'
  | 'BRAINTREE_GATEWAY_NOT_ENABLED'
  | 'BRAINTREE_PAYMENT_METHOD_NOT_CARD'
  | 'BRAINTREE_RETURNED_NO_PAYMENT_METHOD'
  | 'CUSTOMER_REDACTED'
  | 'CVV_ATTEMPTS_LIMIT_EXCEEDED'
  | 'FAILED_TO_RETRIEVE_BILLING_ADDRESS'
  | 'FAILED_TO_UPDATE_CREDIT_CARD'
  | 'MANUALLY_REVOKED'
  | 'MERGED'
  | 'PAYMENT_METHOD_VERIFICATION_FAILED'
  | 'STRIPE_API_AUTHENTICATION_ERROR'
  | 'STRIPE_API_INVALID_REQUEST_ERROR'
  | 'STRIPE_GATEWAY_NOT_ENABLED'
  | 'STRIPE_PAYMENT_METHOD_NOT_CARD'
  | 'STRIPE_RETURNED_NO_PAYMENT_METHOD'
  | 'THREE_D_SECURE_FLOW_IN_VERIFICATION_NOT_IMPLEMENTED'
  | 'TOO_MANY_CONSECUTIVE_FAILURES';

export type CustomerPaymentMethodUserErrorCode =
  | 'INVALID'
  | 'PRESENT'
  | 'TAKEN';

export type CustomerPredictedSpendTier =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type CustomerProductSubscriberStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'NEVER_SUBSCRIBED'
  | 'PAUSED';

export type CustomerRequestDataErasureErrorCode =
  | 'DOES_NOT_EXIST'
  | 'FAILED_TO_REQUEST';

export type CustomerRfmGroup =
  | 'ACTIVE'
  | 'ALMOST_LOST'
  | 'AT_RISK'
  | 'CHAMPIONS'
  | 'DORMANT'
  | 'LOYAL'
  | 'NEEDS_ATTENTION'
  | 'NEW'
  | 'PREVIOUSLY_LOYAL'
  | 'PROMISING'
  | 'PROSPECTS';

export type CustomerSavedSearchSortKeys =
  | 'ID'
  | 'NAME';

export type CustomerSegmentMembersQueryInput = {
  query?: InputMaybe<Scalars['String']['input']>;
  reverse?: InputMaybe<Scalars['Boolean']['input']>;
  segmentId?: InputMaybe<Scalars['ID']['input']>;
  sortKey?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerSegmentMembersQueryUserErrorCode =
  | 'INVALID';

export type CustomerSendAccountInviteEmailUserErrorCode =
  | 'INVALID';

export type CustomerSetIdentifiers = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  email?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerSetInput = {
  addresses?: InputMaybe<Array<MailingAddressInput>>;
  email?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  taxExempt?: InputMaybe<Scalars['Boolean']['input']>;
  taxExemptions?: InputMaybe<Array<TaxExemption>>;
};

export type CustomerSetUserErrorCode =
  | 'BLANK'
  | 'ID_NOT_ALLOWED'
  | 'INCLUSION'
  | 'INPUT_MISMATCH'
  | 'INVALID'
  | 'METAFIELD_MISMATCH'
  | 'MISSING_FIELD_REQUIRED'
  | 'NOT_FOUND'
  | 'PRESENT'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT';

export type CustomerSmsMarketingConsentErrorCode =
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'MISSING_ARGUMENT';

export type CustomerSmsMarketingConsentInput = {
  consentUpdatedAt?: InputMaybe<Scalars['DateTime']['input']>;
  marketingOptInLevel?: InputMaybe<CustomerMarketingOptInLevel>;
  marketingState: CustomerSmsMarketingState;
  sourceLocationId?: InputMaybe<Scalars['ID']['input']>;
};

export type CustomerSmsMarketingConsentUpdateInput = {
  customerId: Scalars['ID']['input'];
  smsMarketingConsent: CustomerSmsMarketingConsentInput;
};

export type CustomerSmsMarketingState =
  | 'NOT_SUBSCRIBED'
  | 'PENDING'
  | 'REDACTED'
  | 'SUBSCRIBED'
  | 'UNSUBSCRIBED';

export type CustomerSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'LOCATION'
  | 'NAME'
  | 'RELEVANCE'
  | 'UPDATED_AT';

export type CustomerState =
  | 'DECLINED'
  | 'DISABLED'
  | 'ENABLED'
  | 'INVITED';

export type DataSaleOptOutUserErrorCode =
  | 'FAILED';

export type DayOfTheWeek =
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY';

export type DelegateAccessTokenCreateUserErrorCode =
  | 'DELEGATE_ACCESS_TOKEN'
  | 'EMPTY_ACCESS_SCOPE'
  | 'EXPIRES_AFTER_PARENT'
  | 'NEGATIVE_EXPIRES_IN'
  | 'PERSISTENCE_FAILED'
  | 'REFRESH_TOKEN'
  | 'UNKNOWN_SCOPES';

export type DelegateAccessTokenDestroyUserErrorCode =
  | 'ACCESS_DENIED'
  | 'ACCESS_TOKEN_NOT_FOUND'
  | 'CAN_ONLY_DELETE_DELEGATE_TOKENS'
  | 'PERSISTENCE_FAILED';

export type DelegateAccessTokenInput = {
  delegateAccessScope: Array<Scalars['String']['input']>;
  expiresIn?: InputMaybe<Scalars['Int']['input']>;
};

export type DeletionEventSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type DeletionEventSubjectType =
  | 'COLLECTION'
  | 'PRODUCT';

export type DeliveryCarrierServiceCreateInput = {
  active: Scalars['Boolean']['input'];
  callbackUrl: Scalars['URL']['input'];
  name: Scalars['String']['input'];
  supportsServiceDiscovery: Scalars['Boolean']['input'];
};

export type DeliveryCarrierServiceUpdateInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  callbackUrl?: InputMaybe<Scalars['URL']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  supportsServiceDiscovery?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DeliveryConditionField =
  | 'TOTAL_PRICE'
  | 'TOTAL_WEIGHT';

export type DeliveryConditionOperator =
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'LESS_THAN_OR_EQUAL_TO';

export type DeliveryCountryInput = {
  code?: InputMaybe<CountryCode>;
  includeAllProvinces?: InputMaybe<Scalars['Boolean']['input']>;
  provinces?: InputMaybe<Array<DeliveryProvinceInput>>;
  restOfWorld?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DeliveryCustomizationErrorCode =
  | 'CUSTOM_APP_FUNCTION_NOT_ELIGIBLE'
  | 'DELIVERY_CUSTOMIZATION_FUNCTION_NOT_ELIGIBLE'
  | 'DELIVERY_CUSTOMIZATION_NOT_FOUND'
  | 'FUNCTION_DOES_NOT_IMPLEMENT'
  | 'FUNCTION_ID_CANNOT_BE_CHANGED'
  | 'FUNCTION_NOT_FOUND'
  | 'FUNCTION_PENDING_DELETION'
  | 'INVALID'
  | 'INVALID_METAFIELDS'
  | 'MAXIMUM_ACTIVE_DELIVERY_CUSTOMIZATIONS'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS'
  | 'REQUIRED_INPUT_FIELD'
  | 'UNAUTHORIZED_APP_SCOPE';

export type DeliveryCustomizationInput = {
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  functionHandle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type DeliveryLegacyModeBlockedReason =
  | 'MULTI_LOCATION_DISABLED'
  | 'NO_LOCATIONS_FULFILLING_ONLINE_ORDERS';

export type DeliveryLocalPickupTime =
  | 'CUSTOM'
  | 'FIVE_OR_MORE_DAYS'
  | 'FOUR_HOURS'
  | 'ONE_HOUR'
  | 'TWENTY_FOUR_HOURS'
  | 'TWO_HOURS'
  | 'TWO_TO_FOUR_DAYS';

export type DeliveryLocationGroupZoneInput = {
  countries?: InputMaybe<Array<DeliveryCountryInput>>;
  id?: InputMaybe<Scalars['ID']['input']>;
  methodDefinitionsToCreate?: InputMaybe<Array<DeliveryMethodDefinitionInput>>;
  methodDefinitionsToUpdate?: InputMaybe<Array<DeliveryMethodDefinitionInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type DeliveryLocationLocalPickupEnableInput = {
  instructions?: InputMaybe<Scalars['String']['input']>;
  locationId: Scalars['ID']['input'];
  pickupTime: DeliveryLocalPickupTime;
};

export type DeliveryLocationLocalPickupSettingsErrorCode =
  | 'ACTIVE_LOCATION_NOT_FOUND'
  | 'CUSTOM_PICKUP_TIME_NOT_ALLOWED'
  | 'GENERIC_ERROR';

export type DeliveryMethodDefinitionInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  conditionsToUpdate?: InputMaybe<Array<DeliveryUpdateConditionInput>>;
  description?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  participant?: InputMaybe<DeliveryParticipantInput>;
  priceConditionsToCreate?: InputMaybe<Array<DeliveryPriceConditionInput>>;
  rateDefinition?: InputMaybe<DeliveryRateDefinitionInput>;
  weightConditionsToCreate?: InputMaybe<Array<DeliveryWeightConditionInput>>;
};

export type DeliveryMethodDefinitionType =
  | 'MERCHANT'
  | 'PARTICIPANT';

export type DeliveryMethodType =
  | 'LOCAL'
  | 'NONE'
  | 'PICKUP_POINT'
  | 'PICK_UP'
  | 'RETAIL'
  | 'SHIPPING';

export type DeliveryParticipantInput = {
  adaptToNewServices?: InputMaybe<Scalars['Boolean']['input']>;
  carrierServiceId?: InputMaybe<Scalars['ID']['input']>;
  fixedFee?: InputMaybe<MoneyInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
  participantServices?: InputMaybe<Array<DeliveryParticipantServiceInput>>;
  percentageOfRateFee?: InputMaybe<Scalars['Float']['input']>;
};

export type DeliveryParticipantServiceInput = {
  active: Scalars['Boolean']['input'];
  name: Scalars['String']['input'];
};

export type DeliveryPriceConditionInput = {
  criteria?: InputMaybe<MoneyInput>;
  operator?: InputMaybe<DeliveryConditionOperator>;
};

export type DeliveryProfileInput = {
  conditionsToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
  locationGroupsToCreate?: InputMaybe<Array<DeliveryProfileLocationGroupInput>>;
  locationGroupsToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
  locationGroupsToUpdate?: InputMaybe<Array<DeliveryProfileLocationGroupInput>>;
  methodDefinitionsToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  profileLocationGroups?: InputMaybe<Array<DeliveryProfileLocationGroupInput>>;
  sellingPlanGroupsToAssociate?: InputMaybe<Array<Scalars['ID']['input']>>;
  sellingPlanGroupsToDissociate?: InputMaybe<Array<Scalars['ID']['input']>>;
  variantsToAssociate?: InputMaybe<Array<Scalars['ID']['input']>>;
  variantsToDissociate?: InputMaybe<Array<Scalars['ID']['input']>>;
  zonesToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DeliveryProfileLocationGroupInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  locations?: InputMaybe<Array<Scalars['ID']['input']>>;
  locationsToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  locationsToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
  zonesToCreate?: InputMaybe<Array<DeliveryLocationGroupZoneInput>>;
  zonesToUpdate?: InputMaybe<Array<DeliveryLocationGroupZoneInput>>;
};

export type DeliveryPromiseParticipantOwnerType =
  | 'PRODUCTVARIANT';

export type DeliveryPromiseProviderUpsertUserErrorCode =
  | 'INVALID_TIME_ZONE'
  | 'MUST_BELONG_TO_APP'
  | 'NOT_FOUND'
  | 'TOO_LONG';

export type DeliveryProvinceInput = {
  code: Scalars['String']['input'];
};

export type DeliveryRateDefinitionInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  price: MoneyInput;
};

export type DeliverySettingInput = {
  legacyModeProfiles?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DeliveryUpdateConditionInput = {
  criteria?: InputMaybe<Scalars['Float']['input']>;
  criteriaUnit?: InputMaybe<Scalars['String']['input']>;
  field?: InputMaybe<DeliveryConditionField>;
  id: Scalars['ID']['input'];
  operator?: InputMaybe<DeliveryConditionOperator>;
};

export type DeliveryWeightConditionInput = {
  criteria?: InputMaybe<WeightInput>;
  operator?: InputMaybe<DeliveryConditionOperator>;
};

export type DepositInput = {
  percentage: Scalars['Float']['input'];
};

export type DigitalWallet =
  | 'AMAZON_PAY'
  | 'ANDROID_PAY'
  | 'APPLE_PAY'
  | 'FACEBOOK_PAY'
  | 'GOOGLE_PAY'
  | 'SHOPIFY_PAY';

export type DiscountAmountInput = {
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  appliesOnEachItem?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DiscountApplicationAllocationMethod =
  | 'ACROSS'
  | 'EACH'
  | 'ONE';

export type DiscountApplicationLevel =
  | 'LINE'
  | 'ORDER';

export type DiscountApplicationTargetSelection =
  | 'ALL'
  | 'ENTITLED'
  | 'EXPLICIT';

export type DiscountApplicationTargetType =
  | 'LINE_ITEM'
  | 'SHIPPING_LINE';

export type DiscountAutomaticAppInput = {
  appliesOnOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOnSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  discountClasses?: InputMaybe<Array<DiscountClass>>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  functionHandle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type DiscountAutomaticBasicInput = {
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  customerGets?: InputMaybe<DiscountCustomerGetsInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  minimumRequirement?: InputMaybe<DiscountMinimumRequirementInput>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type DiscountAutomaticBxgyInput = {
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  customerBuys?: InputMaybe<DiscountCustomerBuysInput>;
  customerGets?: InputMaybe<DiscountCustomerGetsInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  usesPerOrderLimit?: InputMaybe<Scalars['UnsignedInt64']['input']>;
};

export type DiscountAutomaticFreeShippingInput = {
  appliesOnOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOnSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  destination?: InputMaybe<DiscountShippingDestinationSelectionInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  maximumShippingPrice?: InputMaybe<Scalars['Decimal']['input']>;
  minimumRequirement?: InputMaybe<DiscountMinimumRequirementInput>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type DiscountBuyerSelection =
  | 'ALL';

export type DiscountClass =
  | 'ORDER'
  | 'PRODUCT'
  | 'SHIPPING';

export type DiscountCodeAppInput = {
  appliesOnOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOnSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOncePerCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  discountClasses?: InputMaybe<Array<DiscountClass>>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  functionHandle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  usageLimit?: InputMaybe<Scalars['Int']['input']>;
};

export type DiscountCodeBasicInput = {
  appliesOncePerCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  customerGets?: InputMaybe<DiscountCustomerGetsInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  minimumRequirement?: InputMaybe<DiscountMinimumRequirementInput>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  usageLimit?: InputMaybe<Scalars['Int']['input']>;
};

export type DiscountCodeBxgyInput = {
  appliesOncePerCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  customerBuys?: InputMaybe<DiscountCustomerBuysInput>;
  customerGets?: InputMaybe<DiscountCustomerGetsInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  usageLimit?: InputMaybe<Scalars['Int']['input']>;
  usesPerOrderLimit?: InputMaybe<Scalars['Int']['input']>;
};

export type DiscountCodeFreeShippingInput = {
  appliesOnOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOnSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOncePerCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  combinesWith?: InputMaybe<DiscountCombinesWithInput>;
  context?: InputMaybe<DiscountContextInput>;
  destination?: InputMaybe<DiscountShippingDestinationSelectionInput>;
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  maximumShippingPrice?: InputMaybe<Scalars['Decimal']['input']>;
  minimumRequirement?: InputMaybe<DiscountMinimumRequirementInput>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  usageLimit?: InputMaybe<Scalars['Int']['input']>;
};

export type DiscountCodeSortKeys =
  | 'CODE'
  | 'CREATED_AT'
  | 'ID'
  | 'RELEVANCE';

export type DiscountCollectionsInput = {
  add?: InputMaybe<Array<Scalars['ID']['input']>>;
  remove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DiscountCombinesWithInput = {
  orderDiscounts?: InputMaybe<Scalars['Boolean']['input']>;
  productDiscounts?: InputMaybe<Scalars['Boolean']['input']>;
  shippingDiscounts?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DiscountContextInput = {
  all?: InputMaybe<DiscountBuyerSelection>;
  customerSegments?: InputMaybe<DiscountCustomerSegmentsInput>;
  customers?: InputMaybe<DiscountCustomersInput>;
};

export type DiscountCountriesInput = {
  add?: InputMaybe<Array<CountryCode>>;
  includeRestOfWorld?: InputMaybe<Scalars['Boolean']['input']>;
  remove?: InputMaybe<Array<CountryCode>>;
};

export type DiscountCustomerBuysInput = {
  isOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  isSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  items?: InputMaybe<DiscountItemsInput>;
  value?: InputMaybe<DiscountCustomerBuysValueInput>;
};

export type DiscountCustomerBuysValueInput = {
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  quantity?: InputMaybe<Scalars['UnsignedInt64']['input']>;
};

export type DiscountCustomerGetsInput = {
  appliesOnOneTimePurchase?: InputMaybe<Scalars['Boolean']['input']>;
  appliesOnSubscription?: InputMaybe<Scalars['Boolean']['input']>;
  items?: InputMaybe<DiscountItemsInput>;
  value?: InputMaybe<DiscountCustomerGetsValueInput>;
};

export type DiscountCustomerGetsValueInput = {
  discountAmount?: InputMaybe<DiscountAmountInput>;
  discountOnQuantity?: InputMaybe<DiscountOnQuantityInput>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type DiscountCustomerSegmentsInput = {
  add?: InputMaybe<Array<Scalars['ID']['input']>>;
  remove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DiscountCustomerSelectionInput = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  customerSegments?: InputMaybe<DiscountCustomerSegmentsInput>;
  customers?: InputMaybe<DiscountCustomersInput>;
};

export type DiscountCustomersInput = {
  add?: InputMaybe<Array<Scalars['ID']['input']>>;
  remove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DiscountEffectInput = {
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type DiscountErrorCode =
  | 'ACTIVE_PERIOD_OVERLAP'
  | 'APPLIES_ON_NOTHING'
  | 'BLANK'
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'END_DATE_BEFORE_START_DATE'
  | 'EQUAL_TO'
  | 'EXCEEDED_MAX'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'IMPLICIT_DUPLICATE'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS'
  | 'INVALID_DISCOUNT_CLASS_FOR_PRICE_RULE'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'MAX_APP_DISCOUNTS'
  | 'MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT'
  | 'MISSING_ARGUMENT'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS'
  | 'MULTIPLE_RECURRING_CYCLE_LIMIT_FOR_NON_SUBSCRIPTION_ITEMS'
  | 'PRESENT'
  | 'RECURRING_CYCLE_LIMIT_NOT_A_VALID_INTEGER'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_MANY_ARGUMENTS'
  | 'TOO_SHORT'
  | 'VALUE_OUTSIDE_RANGE';

export type DiscountItemsInput = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  collections?: InputMaybe<DiscountCollectionsInput>;
  products?: InputMaybe<DiscountProductsInput>;
};

export type DiscountMinimumQuantityInput = {
  greaterThanOrEqualToQuantity?: InputMaybe<Scalars['UnsignedInt64']['input']>;
};

export type DiscountMinimumRequirementInput = {
  quantity?: InputMaybe<DiscountMinimumQuantityInput>;
  subtotal?: InputMaybe<DiscountMinimumSubtotalInput>;
};

export type DiscountMinimumSubtotalInput = {
  greaterThanOrEqualToSubtotal?: InputMaybe<Scalars['Decimal']['input']>;
};

export type DiscountOnQuantityInput = {
  effect?: InputMaybe<DiscountEffectInput>;
  quantity?: InputMaybe<Scalars['UnsignedInt64']['input']>;
};

export type DiscountProductsInput = {
  productVariantsToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  productVariantsToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
  productsToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  productsToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DiscountRedeemCodeInput = {
  code: Scalars['String']['input'];
};

export type DiscountShareableUrlTargetType =
  | 'COLLECTION'
  | 'HOME'
  | 'PRODUCT';

export type DiscountShippingDestinationSelectionInput = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  countries?: InputMaybe<DiscountCountriesInput>;
};

export type DiscountSortKeys =
  | 'CREATED_AT'
  | 'ENDS_AT'
  | 'ID'
  | 'RELEVANCE'
  | 'STARTS_AT'
  | 'TITLE'
  | 'UPDATED_AT';

export type DiscountStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'SCHEDULED';

export type DiscountTargetType =
  | 'LINE_ITEM'
  | 'SHIPPING_LINE';

export type DiscountType =
  | 'AUTOMATIC_DISCOUNT'
  | 'CODE_DISCOUNT'
  | 'MANUAL';

export type DisputeEvidenceUpdateUserErrorCode =
  | 'DISPUTE_EVIDENCE_NOT_FOUND'
  | 'EVIDENCE_ALREADY_ACCEPTED'
  | 'EVIDENCE_PAST_DUE_DATE'
  | 'FILES_SIZE_EXCEEDED_LIMIT'
  | 'FILE_NOT_FOUND'
  | 'INVALID'
  | 'TOO_LARGE';

export type DisputeStatus =
  | 'ACCEPTED'
  | 'CHARGE_REFUNDED'
  | 'LOST'
  | 'NEEDS_RESPONSE'
  | 'UNDER_REVIEW'
  | 'WON';

export type DisputeType =
  | 'CHARGEBACK'
  | 'INQUIRY';

export type DistanceUnit =
  | 'KILOMETERS'
  | 'MILES';

export type DraftOrderAppliedDiscountInput = {
  amountWithCurrency?: InputMaybe<MoneyInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  value: Scalars['Float']['input'];
  valueType: DraftOrderAppliedDiscountType;
};

export type DraftOrderAppliedDiscountType =
  | 'FIXED_AMOUNT'
  | 'PERCENTAGE';

export type DraftOrderAvailableDeliveryOptionsInput = {
  acceptAutomaticDiscounts?: InputMaybe<Scalars['Boolean']['input']>;
  appliedDiscount?: InputMaybe<DraftOrderAppliedDiscountInput>;
  discountCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  lineItems?: InputMaybe<Array<DraftOrderLineItemInput>>;
  marketRegionCountryCode?: InputMaybe<CountryCode>;
  purchasingEntity?: InputMaybe<PurchasingEntityInput>;
  shippingAddress?: InputMaybe<MailingAddressInput>;
};

export type DraftOrderDeleteInput = {
  id: Scalars['ID']['input'];
};

export type DraftOrderInput = {
  acceptAutomaticDiscounts?: InputMaybe<Scalars['Boolean']['input']>;
  allowDiscountCodesInCheckout?: InputMaybe<Scalars['Boolean']['input']>;
  appliedDiscount?: InputMaybe<DraftOrderAppliedDiscountInput>;
  billingAddress?: InputMaybe<MailingAddressInput>;
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  discountCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  email?: InputMaybe<Scalars['String']['input']>;
  lineItems?: InputMaybe<Array<DraftOrderLineItemInput>>;
  localizedFields?: InputMaybe<Array<LocalizedFieldInput>>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  note?: InputMaybe<Scalars['String']['input']>;
  paymentTerms?: InputMaybe<PaymentTermsInput>;
  phone?: InputMaybe<Scalars['String']['input']>;
  poNumber?: InputMaybe<Scalars['String']['input']>;
  presentmentCurrencyCode?: InputMaybe<CurrencyCode>;
  purchasingEntity?: InputMaybe<PurchasingEntityInput>;
  reserveInventoryUntil?: InputMaybe<Scalars['DateTime']['input']>;
  sessionToken?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<MailingAddressInput>;
  shippingLine?: InputMaybe<ShippingLineInput>;
  sourceName?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  taxExempt?: InputMaybe<Scalars['Boolean']['input']>;
  transformerFingerprint?: InputMaybe<Scalars['String']['input']>;
  useCustomerDefaultAddress?: InputMaybe<Scalars['Boolean']['input']>;
  visibleToCustomer?: InputMaybe<Scalars['Boolean']['input']>;
};

export type DraftOrderLineItemComponentInput = {
  quantity: Scalars['Int']['input'];
  uuid?: InputMaybe<Scalars['String']['input']>;
  variantId?: InputMaybe<Scalars['ID']['input']>;
};

export type DraftOrderLineItemInput = {
  appliedDiscount?: InputMaybe<DraftOrderAppliedDiscountInput>;
  components?: InputMaybe<Array<DraftOrderLineItemComponentInput>>;
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  generatePriceOverride?: InputMaybe<Scalars['Boolean']['input']>;
  originalUnitPriceWithCurrency?: InputMaybe<MoneyInput>;
  priceOverride?: InputMaybe<MoneyInput>;
  quantity: Scalars['Int']['input'];
  requiresShipping?: InputMaybe<Scalars['Boolean']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  taxable?: InputMaybe<Scalars['Boolean']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  uuid?: InputMaybe<Scalars['String']['input']>;
  variantId?: InputMaybe<Scalars['ID']['input']>;
  weight?: InputMaybe<WeightInput>;
};

export type DraftOrderSortKeys =
  | 'CUSTOMER_NAME'
  | 'ID'
  | 'NUMBER'
  | 'RELEVANCE'
  | 'STATUS'
  | 'TOTAL_PRICE'
  | 'UPDATED_AT';

export type DraftOrderStatus =
  | 'COMPLETED'
  | 'INVOICE_SENT'
  | 'OPEN';

export type EmailInput = {
  bcc?: InputMaybe<Array<Scalars['String']['input']>>;
  body?: InputMaybe<Scalars['String']['input']>;
  customMessage?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['String']['input']>;
  subject?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};

export type ErrorsServerPixelUserErrorCode =
  | 'ALREADY_EXISTS'
  | 'NEEDS_CONFIGURATION_TO_CONNECT'
  | 'NOT_FOUND'
  | 'PUB_SUB_ERROR';

export type ErrorsWebPixelUserErrorCode =
  | 'BLANK'
  | 'INVALID_CONFIGURATION_JSON'
  | 'INVALID_RUNTIME_CONTEXT'
  | 'INVALID_SETTINGS'
  | 'INVALID_SETTINGS_DEFINITION'
  | 'NOT_FOUND'
  | 'NO_EXTENSION'
  | 'TAKEN'
  | 'UNABLE_TO_DELETE'
  | 'UNEXPECTED_ERROR';

export type EventBridgeWebhookSubscriptionInput = {
  arn?: InputMaybe<Scalars['ARN']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  format?: InputMaybe<WebhookSubscriptionFormat>;
  includeFields?: InputMaybe<Array<Scalars['String']['input']>>;
  metafieldNamespaces?: InputMaybe<Array<Scalars['String']['input']>>;
  metafields?: InputMaybe<Array<HasMetafieldsMetafieldIdentifierInput>>;
};

export type EventSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type EventSubjectType =
  | 'ARTICLE'
  | 'BLOG'
  | 'COLLECTION'
  | 'COMMENT'
  | 'COMPANY'
  | 'COMPANY_LOCATION'
  | 'CUSTOMER'
  | 'DISCOUNT_AUTOMATIC_BXGY'
  | 'DISCOUNT_AUTOMATIC_NODE'
  | 'DISCOUNT_CODE_NODE'
  | 'DISCOUNT_NODE'
  | 'DRAFT_ORDER'
  | 'INVENTORY_TRANSFER'
  | 'ORDER'
  | 'PAGE'
  | 'PRICE_RULE'
  | 'PRODUCT'
  | 'PRODUCT_VARIANT'
  | 'UNKNOWN';

export type ExchangeLineItemAppliedDiscountInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  value: ExchangeLineItemAppliedDiscountValueInput;
};

export type ExchangeLineItemAppliedDiscountValueInput = {
  amount?: InputMaybe<MoneyInput>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type ExchangeLineItemInput = {
  appliedDiscount?: InputMaybe<ExchangeLineItemAppliedDiscountInput>;
  giftCardCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  quantity: Scalars['Int']['input'];
  variantId?: InputMaybe<Scalars['ID']['input']>;
};

export type ExchangeLineItemRemoveFromReturnInput = {
  exchangeLineItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type FileContentType =
  | 'EXTERNAL_VIDEO'
  | 'FILE'
  | 'IMAGE'
  | 'MODEL_3D'
  | 'VIDEO';

export type FileCreateInput = {
  alt?: InputMaybe<Scalars['String']['input']>;
  contentType?: InputMaybe<FileContentType>;
  duplicateResolutionMode?: InputMaybe<FileCreateInputDuplicateResolutionMode>;
  filename?: InputMaybe<Scalars['String']['input']>;
  originalSource: Scalars['String']['input'];
};

export type FileCreateInputDuplicateResolutionMode =
  | 'APPEND_UUID'
  | 'RAISE_ERROR'
  | 'REPLACE';

export type FileErrorCode =
  | 'DUPLICATE_FILENAME_ERROR'
  | 'EXTERNAL_VIDEO_EMBED_DISABLED'
  | 'EXTERNAL_VIDEO_EMBED_NOT_FOUND_OR_TRANSCODING'
  | 'EXTERNAL_VIDEO_INVALID_ASPECT_RATIO'
  | 'EXTERNAL_VIDEO_NOT_FOUND'
  | 'EXTERNAL_VIDEO_UNLISTED'
  | 'FILE_STORAGE_LIMIT_EXCEEDED'
  | 'GENERIC_FILE_DOWNLOAD_FAILURE'
  | 'GENERIC_FILE_INVALID_SIZE'
  | 'IMAGE_DOWNLOAD_FAILURE'
  | 'IMAGE_PROCESSING_FAILURE'
  | 'INVALID_IMAGE_ASPECT_RATIO'
  | 'INVALID_IMAGE_FILE_SIZE'
  | 'INVALID_IMAGE_RESOLUTION'
  | 'INVALID_SIGNED_URL'
  | 'MEDIA_TIMEOUT_ERROR'
  | 'MODEL3D_GLB_OUTPUT_CREATION_ERROR'
  | 'MODEL3D_GLB_TO_USDZ_CONVERSION_ERROR'
  | 'MODEL3D_PROCESSING_FAILURE'
  | 'MODEL3D_THUMBNAIL_GENERATION_ERROR'
  | 'MODEL3D_THUMBNAIL_REGENERATION_ERROR'
  | 'MODEL3D_VALIDATION_ERROR'
  | 'UNKNOWN'
  | 'UNSUPPORTED_IMAGE_FILE_TYPE'
  | 'VIDEO_INVALID_FILETYPE_ERROR'
  | 'VIDEO_MAX_DURATION_ERROR'
  | 'VIDEO_MAX_HEIGHT_ERROR'
  | 'VIDEO_MAX_WIDTH_ERROR'
  | 'VIDEO_METADATA_READ_ERROR'
  | 'VIDEO_MIN_DURATION_ERROR'
  | 'VIDEO_MIN_HEIGHT_ERROR'
  | 'VIDEO_MIN_WIDTH_ERROR'
  | 'VIDEO_VALIDATION_ERROR';

export type FileSetInput = {
  alt?: InputMaybe<Scalars['String']['input']>;
  contentType?: InputMaybe<FileContentType>;
  duplicateResolutionMode?: InputMaybe<FileCreateInputDuplicateResolutionMode>;
  filename?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  originalSource?: InputMaybe<Scalars['String']['input']>;
};

export type FileSortKeys =
  | 'CREATED_AT'
  | 'FILENAME'
  | 'ID'
  | 'ORIGINAL_UPLOAD_SIZE'
  | 'RELEVANCE'
  | 'UPDATED_AT';

export type FileStatus =
  | 'FAILED'
  | 'PROCESSING'
  | 'READY'
  | 'UPLOADED';

export type FileUpdateInput = {
  alt?: InputMaybe<Scalars['String']['input']>;
  filename?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  originalSource?: InputMaybe<Scalars['String']['input']>;
  previewImageSource?: InputMaybe<Scalars['String']['input']>;
  referencesToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  referencesToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type FilesErrorCode =
  | 'ALT_VALUE_LIMIT_EXCEEDED'
  | 'BLANK_SEARCH'
  | 'FILENAME_ALREADY_EXISTS'
  | 'FILE_DOES_NOT_EXIST'
  | 'FILE_LOCKED'
  | 'INVALID'
  | 'INVALID_DUPLICATE_MODE_FOR_TYPE'
  | 'INVALID_DUPLICATE_RESOLUTION_MODE'
  | 'INVALID_FAILED_MEDIA_STATE'
  | 'INVALID_FILENAME'
  | 'INVALID_FILENAME_EXTENSION'
  | 'INVALID_IMAGE_SOURCE_URL'
  | 'INVALID_QUERY'
  | 'MISMATCHED_FILENAME_AND_ORIGINAL_SOURCE'
  | 'MISSING_ARGUMENTS'
  | 'MISSING_FILENAME_FOR_DUPLICATE_MODE_REPLACE'
  | 'NON_IMAGE_MEDIA_PER_SHOP_LIMIT_EXCEEDED'
  | 'NON_READY_STATE'
  | 'PRODUCT_MEDIA_LIMIT_EXCEEDED'
  | 'PRODUCT_SUSPENDED'
  | 'REFERENCE_TARGET_DOES_NOT_EXIST'
  | 'TOO_MANY_ARGUMENTS'
  | 'TOO_MANY_FILE_REFERENCE'
  | 'UNACCEPTABLE_ASSET'
  | 'UNACCEPTABLE_TRIAL_ASSET'
  | 'UNACCEPTABLE_UNVERIFIED_TRIAL_ASSET'
  | 'UNSUPPORTED_FILE_REFERENCE'
  | 'UNSUPPORTED_MEDIA_TYPE_FOR_FILENAME_UPDATE';

export type FulfillmentConstraintRuleCreateUserErrorCode =
  | 'CUSTOM_APP_FUNCTION_NOT_ELIGIBLE'
  | 'FUNCTION_ALREADY_REGISTERED'
  | 'FUNCTION_DOES_NOT_IMPLEMENT'
  | 'FUNCTION_NOT_FOUND'
  | 'FUNCTION_PENDING_DELETION'
  | 'INPUT_INVALID'
  | 'MAXIMUM_FULFILLMENT_CONSTRAINT_RULES_REACHED'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS';

export type FulfillmentConstraintRuleDeleteUserErrorCode =
  | 'NOT_FOUND'
  | 'UNAUTHORIZED_APP_SCOPE';

export type FulfillmentConstraintRuleUpdateUserErrorCode =
  | 'NOT_FOUND'
  | 'UNAUTHORIZED_APP_SCOPE';

export type FulfillmentDisplayStatus =
  | 'ATTEMPTED_DELIVERY'
  | 'CANCELED'
  | 'CARRIER_PICKED_UP'
  | 'CONFIRMED'
  | 'DELAYED'
  | 'DELIVERED'
  | 'FAILURE'
  | 'FULFILLED'
  | 'IN_TRANSIT'
  | 'LABEL_PRINTED'
  | 'LABEL_PURCHASED'
  | 'LABEL_VOIDED'
  | 'MARKED_AS_FULFILLED'
  | 'NOT_DELIVERED'
  | 'OUT_FOR_DELIVERY'
  | 'PICKED_UP'
  | 'READY_FOR_PICKUP'
  | 'SUBMITTED';

export type FulfillmentEventInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  estimatedDeliveryAt?: InputMaybe<Scalars['DateTime']['input']>;
  fulfillmentId: Scalars['ID']['input'];
  happenedAt?: InputMaybe<Scalars['DateTime']['input']>;
  latitude?: InputMaybe<Scalars['Float']['input']>;
  longitude?: InputMaybe<Scalars['Float']['input']>;
  message?: InputMaybe<Scalars['String']['input']>;
  province?: InputMaybe<Scalars['String']['input']>;
  status: FulfillmentEventStatus;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type FulfillmentEventSortKeys =
  | 'HAPPENED_AT'
  | 'ID';

export type FulfillmentEventStatus =
  | 'ATTEMPTED_DELIVERY'
  | 'CARRIER_PICKED_UP'
  | 'CONFIRMED'
  | 'DELAYED'
  | 'DELIVERED'
  | 'FAILURE'
  | 'IN_TRANSIT'
  | 'LABEL_PRINTED'
  | 'LABEL_PURCHASED'
  | 'OUT_FOR_DELIVERY'
  | 'READY_FOR_PICKUP';

export type FulfillmentHoldReason =
  | 'AWAITING_PAYMENT'
  | 'AWAITING_RETURN_ITEMS'
  | 'HIGH_RISK_OF_FRAUD'
  | 'INCORRECT_ADDRESS'
  | 'INVENTORY_OUT_OF_STOCK'
  | 'ONLINE_STORE_POST_PURCHASE_CROSS_SELL'
  | 'OTHER'
  | 'UNKNOWN_DELIVERY_DATE';

export type FulfillmentInput = {
  lineItemsByFulfillmentOrder: Array<FulfillmentOrderLineItemsInput>;
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  originAddress?: InputMaybe<FulfillmentOriginAddressInput>;
  trackingInfo?: InputMaybe<FulfillmentTrackingInput>;
};

export type FulfillmentOrderAction =
  | 'CANCEL_FULFILLMENT_ORDER'
  | 'CREATE_FULFILLMENT'
  | 'EXTERNAL'
  | 'HOLD'
  | 'MARK_AS_OPEN'
  | 'MERGE'
  | 'MOVE'
  | 'RELEASE_HOLD'
  | 'REQUEST_CANCELLATION'
  | 'REQUEST_FULFILLMENT'
  | 'SPLIT';

export type FulfillmentOrderAssignmentStatus =
  | 'CANCELLATION_REQUESTED'
  | 'FULFILLMENT_ACCEPTED'
  | 'FULFILLMENT_REQUESTED'
  | 'FULFILLMENT_UNSUBMITTED';

export type FulfillmentOrderHoldInput = {
  externalId?: InputMaybe<Scalars['String']['input']>;
  fulfillmentOrderLineItems?: InputMaybe<Array<FulfillmentOrderLineItemInput>>;
  handle?: InputMaybe<Scalars['String']['input']>;
  notifyMerchant?: InputMaybe<Scalars['Boolean']['input']>;
  reason: FulfillmentHoldReason;
  reasonNotes?: InputMaybe<Scalars['String']['input']>;
};

export type FulfillmentOrderHoldUserErrorCode =
  | 'DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS'
  | 'DUPLICATE_FULFILLMENT_HOLD_HANDLE'
  | 'FULFILLMENT_ORDER_HOLD_LIMIT_REACHED'
  | 'FULFILLMENT_ORDER_NOT_FOUND'
  | 'FULFILLMENT_ORDER_NOT_SPLITTABLE'
  | 'GREATER_THAN_ZERO'
  | 'INVALID_LINE_ITEM_QUANTITY'
  | 'TAKEN';

export type FulfillmentOrderLineItemInput = {
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type FulfillmentOrderLineItemsInput = {
  fulfillmentOrderId: Scalars['ID']['input'];
  fulfillmentOrderLineItems?: InputMaybe<Array<FulfillmentOrderLineItemInput>>;
};

export type FulfillmentOrderLineItemsPreparedForPickupInput = {
  lineItemsByFulfillmentOrder: Array<PreparedFulfillmentOrderLineItemsInput>;
};

export type FulfillmentOrderLineItemsPreparedForPickupUserErrorCode =
  | 'FULFILLMENT_ORDER_INVALID'
  | 'NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER'
  | 'UNABLE_TO_PREPARE_QUANTITY';

export type FulfillmentOrderMerchantRequestKind =
  | 'CANCELLATION_REQUEST'
  | 'FULFILLMENT_REQUEST';

export type FulfillmentOrderMergeInput = {
  mergeIntents: Array<FulfillmentOrderMergeInputMergeIntent>;
};

export type FulfillmentOrderMergeInputMergeIntent = {
  fulfillmentOrderId: Scalars['ID']['input'];
  fulfillmentOrderLineItems?: InputMaybe<Array<FulfillmentOrderLineItemInput>>;
};

export type FulfillmentOrderMergeUserErrorCode =
  | 'FULFILLMENT_ORDER_NOT_FOUND'
  | 'GREATER_THAN'
  | 'INVALID_LINE_ITEM_QUANTITY';

export type FulfillmentOrderRejectionReason =
  | 'INCORRECT_ADDRESS'
  | 'INCORRECT_PRODUCT_INFO'
  | 'INELIGIBLE_PRODUCT'
  | 'INTERNATIONAL_SHIPPING_UNAVAILABLE'
  | 'INVALID_CONTACT_INFORMATION'
  | 'INVALID_SKU'
  | 'INVENTORY_OUT_OF_STOCK'
  | 'MERCHANT_BLOCKED_OR_SUSPENDED'
  | 'MISSING_CUSTOMS_INFO'
  | 'ORDER_TOO_LARGE'
  | 'OTHER'
  | 'PACKAGE_PREFERENCE_NOT_SET'
  | 'PAYMENT_DECLINED'
  | 'UNDELIVERABLE_DESTINATION';

export type FulfillmentOrderReleaseHoldUserErrorCode =
  | 'FULFILLMENT_ORDER_NOT_FOUND'
  | 'INVALID_ACCESS';

export type FulfillmentOrderRequestStatus =
  | 'ACCEPTED'
  | 'CANCELLATION_ACCEPTED'
  | 'CANCELLATION_REJECTED'
  | 'CANCELLATION_REQUESTED'
  | 'CLOSED'
  | 'REJECTED'
  | 'SUBMITTED'
  | 'UNSUBMITTED';

export type FulfillmentOrderRescheduleUserErrorCode =
  | 'FULFILLMENT_ORDER_NOT_FOUND';

export type FulfillmentOrderSortKeys =
  | 'ID'
  | 'UPDATED_AT';

export type FulfillmentOrderSplitInput = {
  fulfillmentOrderId: Scalars['ID']['input'];
  fulfillmentOrderLineItems: Array<FulfillmentOrderLineItemInput>;
};

export type FulfillmentOrderSplitUserErrorCode =
  | 'FULFILLMENT_ORDER_NOT_FOUND'
  | 'GREATER_THAN'
  | 'INVALID_LINE_ITEM_QUANTITY'
  | 'NO_LINE_ITEMS_PROVIDED_TO_SPLIT';

export type FulfillmentOrderStatus =
  | 'CANCELLED'
  | 'CLOSED'
  | 'INCOMPLETE'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'OPEN'
  | 'SCHEDULED';

export type FulfillmentOrdersRerouteUserErrorCode =
  | 'CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS'
  | 'CANNOT_REASSIGN_LOCATION_FOR_FULFILLMENT_ORDERS'
  | 'DELIVERY_METHOD_TYPE_NOT_SUPPORTED'
  | 'FULFILLMENT_ORDERS_MUST_BELONG_TO_SAME_LOCATION'
  | 'FULFILLMENT_ORDERS_NOT_FROM_THE_SAME_ORDER'
  | 'FULFILLMENT_ORDERS_STATE_NOT_SUPPORTED'
  | 'FULFILLMENT_ORDER_NOT_FOUND'
  | 'NO_FULFILLMENT_ORDER_IDS'
  | 'SINGLE_LOCATION_SHOP_NOT_SUPPORTED';

export type FulfillmentOrdersSetFulfillmentDeadlineUserErrorCode =
  | 'FULFILLMENT_ORDERS_NOT_FOUND';

export type FulfillmentOriginAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  countryCode: Scalars['String']['input'];
  provinceCode?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type FulfillmentServiceDeleteInventoryAction =
  | 'DELETE'
  | 'KEEP'
  | 'TRANSFER';

export type FulfillmentServiceType =
  | 'GIFT_CARD'
  | 'MANUAL'
  | 'THIRD_PARTY';

export type FulfillmentStatus =
  | 'CANCELLED'
  | 'ERROR'
  | 'FAILURE'
  | 'OPEN'
  | 'PENDING'
  | 'SUCCESS';

export type FulfillmentTrackingInput = {
  company?: InputMaybe<Scalars['String']['input']>;
  number?: InputMaybe<Scalars['String']['input']>;
  numbers?: InputMaybe<Array<Scalars['String']['input']>>;
  url?: InputMaybe<Scalars['URL']['input']>;
  urls?: InputMaybe<Array<Scalars['URL']['input']>>;
};

export type FulfillmentV2Input = {
  lineItemsByFulfillmentOrder: Array<FulfillmentOrderLineItemsInput>;
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  originAddress?: InputMaybe<FulfillmentOriginAddressInput>;
  trackingInfo?: InputMaybe<FulfillmentTrackingInput>;
};

export type GiftCardCreateInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  expiresOn?: InputMaybe<Scalars['Date']['input']>;
  initialValue: Scalars['Decimal']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  recipientAttributes?: InputMaybe<GiftCardRecipientInput>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type GiftCardCreditInput = {
  creditAmount: MoneyInput;
  note?: InputMaybe<Scalars['String']['input']>;
  processedAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type GiftCardDeactivateUserErrorCode =
  | 'GIFT_CARD_NOT_FOUND';

export type GiftCardDebitInput = {
  debitAmount: MoneyInput;
  note?: InputMaybe<Scalars['String']['input']>;
  processedAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type GiftCardErrorCode =
  | 'CUSTOMER_NOT_FOUND'
  | 'GIFT_CARD_LIMIT_EXCEEDED'
  | 'GREATER_THAN'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'MISSING_ARGUMENT'
  | 'RECIPIENT_NOT_FOUND'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT';

export type GiftCardRecipientInput = {
  id: Scalars['ID']['input'];
  message?: InputMaybe<Scalars['String']['input']>;
  preferredName?: InputMaybe<Scalars['String']['input']>;
  sendNotificationAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type GiftCardSendNotificationToCustomerUserErrorCode =
  | 'CUSTOMER_NOT_FOUND'
  | 'GIFT_CARD_NOT_FOUND'
  | 'INVALID';

export type GiftCardSendNotificationToRecipientUserErrorCode =
  | 'GIFT_CARD_NOT_FOUND'
  | 'INVALID'
  | 'RECIPIENT_NOT_FOUND';

export type GiftCardSortKeys =
  | 'AMOUNT_SPENT'
  | 'BALANCE'
  | 'CODE'
  | 'CREATED_AT'
  | 'CUSTOMER_NAME'
  | 'DISABLED_AT'
  | 'EXPIRES_ON'
  | 'ID'
  | 'INITIAL_VALUE'
  | 'UPDATED_AT';

export type GiftCardTransactionUserErrorCode =
  | 'GIFT_CARD_LIMIT_EXCEEDED'
  | 'GIFT_CARD_NOT_FOUND'
  | 'INSUFFICIENT_FUNDS'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'MISMATCHING_CURRENCY'
  | 'NEGATIVE_OR_ZERO_AMOUNT';

export type GiftCardUpdateInput = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  expiresOn?: InputMaybe<Scalars['Date']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  recipientAttributes?: InputMaybe<GiftCardRecipientInput>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type HasMetafieldsMetafieldIdentifierInput = {
  key: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
};

export type ImageContentType =
  | 'JPG'
  | 'PNG'
  | 'WEBP';

export type ImageInput = {
  altText?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  src?: InputMaybe<Scalars['String']['input']>;
};

export type ImageTransformInput = {
  crop?: InputMaybe<CropRegion>;
  maxHeight?: InputMaybe<Scalars['Int']['input']>;
  maxWidth?: InputMaybe<Scalars['Int']['input']>;
  preferredContentType?: InputMaybe<ImageContentType>;
  scale?: InputMaybe<Scalars['Int']['input']>;
};

export type InclusiveDutiesPricingStrategy =
  | 'ADD_DUTIES_AT_CHECKOUT'
  | 'INCLUDE_DUTIES_IN_PRICE';

export type InclusiveTaxPricingStrategy =
  | 'ADD_TAXES_AT_CHECKOUT'
  | 'INCLUDES_TAXES_IN_PRICE'
  | 'INCLUDES_TAXES_IN_PRICE_BASED_ON_COUNTRY';

export type IncomingRequestLineItemInput = {
  fulfillmentOrderLineItemId: Scalars['ID']['input'];
  message?: InputMaybe<Scalars['String']['input']>;
};

export type InventoryAdjustQuantitiesInput = {
  changes: Array<InventoryChangeInput>;
  name: Scalars['String']['input'];
  reason: Scalars['String']['input'];
  referenceDocumentUri?: InputMaybe<Scalars['String']['input']>;
};

export type InventoryAdjustQuantitiesUserErrorCode =
  | 'ADJUST_QUANTITIES_FAILED'
  | 'CHANGE_FROM_QUANTITY_STALE'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INTERNAL_LEDGER_DOCUMENT'
  | 'INVALID_AVAILABLE_DOCUMENT'
  | 'INVALID_INVENTORY_ITEM'
  | 'INVALID_LEDGER_DOCUMENT'
  | 'INVALID_LOCATION'
  | 'INVALID_QUANTITY_DOCUMENT'
  | 'INVALID_QUANTITY_NAME'
  | 'INVALID_QUANTITY_TOO_HIGH'
  | 'INVALID_QUANTITY_TOO_LOW'
  | 'INVALID_REASON'
  | 'INVALID_REFERENCE_DOCUMENT'
  | 'ITEM_NOT_STOCKED_AT_LOCATION'
  | 'MAX_ONE_LEDGER_DOCUMENT'
  | 'NON_MUTABLE_INVENTORY_ITEM'
  | 'SERVICE_UNAVAILABLE';

export type InventoryAdjustmentInput = {
  adjustment?: InputMaybe<Scalars['Int']['input']>;
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  locationId: Scalars['ID']['input'];
};

export type InventoryBulkToggleActivationInput = {
  activate: Scalars['Boolean']['input'];
  locationId: Scalars['ID']['input'];
};

export type InventoryBulkToggleActivationUserErrorCode =
  | 'CANNOT_DEACTIVATE_FROM_ONLY_LOCATION'
  | 'COMMITTED_AND_INCOMING_INVENTORY_AT_LOCATION'
  | 'COMMITTED_INVENTORY_AT_LOCATION'
  | 'FAILED_TO_STOCK_AT_LOCATION'
  | 'FAILED_TO_UNSTOCK_FROM_LOCATION'
  | 'GENERIC_ERROR'
  | 'INCOMING_INVENTORY_AT_LOCATION'
  | 'INVENTORY_ITEM_NOT_FOUND'
  | 'INVENTORY_MANAGED_BY_3RD_PARTY'
  | 'INVENTORY_MANAGED_BY_SHOPIFY'
  | 'LOCATION_NOT_FOUND'
  | 'MISSING_SKU'
  | 'RESERVED_INVENTORY_AT_LOCATION';

export type InventoryChangeInput = {
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  delta: Scalars['Int']['input'];
  inventoryItemId: Scalars['ID']['input'];
  ledgerDocumentUri?: InputMaybe<Scalars['String']['input']>;
  locationId: Scalars['ID']['input'];
};

export type InventoryItemInput = {
  cost?: InputMaybe<Scalars['Decimal']['input']>;
  countryCodeOfOrigin?: InputMaybe<CountryCode>;
  countryHarmonizedSystemCodes?: InputMaybe<Array<CountryHarmonizedSystemCodeInput>>;
  harmonizedSystemCode?: InputMaybe<Scalars['String']['input']>;
  measurement?: InputMaybe<InventoryItemMeasurementInput>;
  provinceCodeOfOrigin?: InputMaybe<Scalars['String']['input']>;
  requiresShipping?: InputMaybe<Scalars['Boolean']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  tracked?: InputMaybe<Scalars['Boolean']['input']>;
};

export type InventoryItemMeasurementInput = {
  shippingPackageId?: InputMaybe<Scalars['ID']['input']>;
  weight?: InputMaybe<WeightInput>;
};

export type InventoryLevelInput = {
  availableQuantity: Scalars['Int']['input'];
  locationId: Scalars['ID']['input'];
};

export type InventoryMoveQuantitiesInput = {
  changes: Array<InventoryMoveQuantityChange>;
  reason: Scalars['String']['input'];
  referenceDocumentUri: Scalars['String']['input'];
};

export type InventoryMoveQuantitiesUserErrorCode =
  | 'CHANGE_FROM_QUANTITY_STALE'
  | 'DIFFERENT_LOCATIONS'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INTERNAL_LEDGER_DOCUMENT'
  | 'INVALID_AVAILABLE_DOCUMENT'
  | 'INVALID_INVENTORY_ITEM'
  | 'INVALID_LEDGER_DOCUMENT'
  | 'INVALID_LOCATION'
  | 'INVALID_QUANTITY_DOCUMENT'
  | 'INVALID_QUANTITY_NAME'
  | 'INVALID_QUANTITY_NEGATIVE'
  | 'INVALID_QUANTITY_TOO_HIGH'
  | 'INVALID_REASON'
  | 'INVALID_REFERENCE_DOCUMENT'
  | 'ITEM_NOT_STOCKED_AT_LOCATION'
  | 'MAXIMUM_LEDGER_DOCUMENT_URIS'
  | 'MOVE_QUANTITIES_FAILED'
  | 'NON_MUTABLE_INVENTORY_ITEM'
  | 'SAME_QUANTITY_NAME'
  | 'SERVICE_UNAVAILABLE';

export type InventoryMoveQuantityChange = {
  from: InventoryMoveQuantityTerminalInput;
  inventoryItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  to: InventoryMoveQuantityTerminalInput;
};

export type InventoryMoveQuantityTerminalInput = {
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  ledgerDocumentUri?: InputMaybe<Scalars['String']['input']>;
  locationId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};

export type InventoryQuantityInput = {
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  inventoryItemId: Scalars['ID']['input'];
  locationId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type InventoryScheduledChangeInput = {
  expectedAt: Scalars['DateTime']['input'];
  fromName: Scalars['String']['input'];
  toName: Scalars['String']['input'];
};

export type InventoryScheduledChangeItemInput = {
  inventoryItemId: Scalars['ID']['input'];
  ledgerDocumentUri: Scalars['URL']['input'];
  locationId: Scalars['ID']['input'];
  scheduledChanges: Array<InventoryScheduledChangeInput>;
};

export type InventorySetOnHandQuantitiesInput = {
  reason: Scalars['String']['input'];
  referenceDocumentUri?: InputMaybe<Scalars['String']['input']>;
  setQuantities: Array<InventorySetQuantityInput>;
};

export type InventorySetOnHandQuantitiesUserErrorCode =
  | 'CHANGE_FROM_QUANTITY_STALE'
  | 'COMPARE_QUANTITY_STALE'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_INVENTORY_ITEM'
  | 'INVALID_LOCATION'
  | 'INVALID_QUANTITY_NEGATIVE'
  | 'INVALID_QUANTITY_TOO_HIGH'
  | 'INVALID_REASON'
  | 'INVALID_REFERENCE_DOCUMENT'
  | 'ITEM_NOT_STOCKED_AT_LOCATION'
  | 'NON_MUTABLE_INVENTORY_ITEM'
  | 'SERVICE_UNAVAILABLE'
  | 'SET_ON_HAND_QUANTITIES_FAILED';

export type InventorySetQuantitiesInput = {
  name: Scalars['String']['input'];
  quantities: Array<InventoryQuantityInput>;
  reason: Scalars['String']['input'];
  referenceDocumentUri?: InputMaybe<Scalars['String']['input']>;
};

export type InventorySetQuantitiesUserErrorCode =
  | 'CHANGE_FROM_QUANTITY_STALE'
  | 'COMPARE_QUANTITY_REQUIRED'
  | 'COMPARE_QUANTITY_STALE'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_INVENTORY_ITEM'
  | 'INVALID_LOCATION'
  | 'INVALID_NAME'
  | 'INVALID_QUANTITY_NEGATIVE'
  | 'INVALID_QUANTITY_TOO_HIGH'
  | 'INVALID_QUANTITY_TOO_LOW'
  | 'INVALID_REASON'
  | 'INVALID_REFERENCE_DOCUMENT'
  | 'ITEM_NOT_STOCKED_AT_LOCATION'
  | 'NON_MUTABLE_INVENTORY_ITEM'
  | 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR';

export type InventorySetQuantityInput = {
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  inventoryItemId: Scalars['ID']['input'];
  locationId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type InventorySetScheduledChangesInput = {
  items: Array<InventoryScheduledChangeItemInput>;
  reason: Scalars['String']['input'];
  referenceDocumentUri: Scalars['URL']['input'];
};

export type InventorySetScheduledChangesUserErrorCode =
  | 'DUPLICATE_FROM_NAME'
  | 'DUPLICATE_TO_NAME'
  | 'ERROR_UPDATING_SCHEDULED'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INCLUSION'
  | 'INVALID_FROM_NAME'
  | 'INVALID_REASON'
  | 'INVALID_TO_NAME'
  | 'INVENTORY_ITEM_NOT_FOUND'
  | 'INVENTORY_STATE_NOT_FOUND'
  | 'ITEMS_EMPTY'
  | 'LEDGER_DOCUMENT_INVALID'
  | 'LOCATION_NOT_FOUND'
  | 'SAME_FROM_TO_NAMES';

export type InventoryShipmentAddItemsUserErrorCode =
  | 'ACTIVATION_FAILED'
  | 'DUPLICATE_ITEM'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_STATUS'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'SHIPMENT_NOT_FOUND'
  | 'UNTRACKED_ITEM';

export type InventoryShipmentCreateInTransitUserErrorCode =
  | 'DUPLICATE_ITEM'
  | 'EMPTY_SHIPMENT_INPUT'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_ITEM'
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_INPUT'
  | 'INVALID_TRANSFER_STATUS'
  | 'INVALID_URL'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEMS_EMPTY'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'SHIPMENT_NOT_FOUND'
  | 'TRANSFER_NOT_FOUND'
  | 'UNTRACKED_ITEM';

export type InventoryShipmentCreateInput = {
  dateCreated?: InputMaybe<Scalars['DateTime']['input']>;
  lineItems: Array<InventoryShipmentLineItemInput>;
  movementId: Scalars['ID']['input'];
  trackingInput?: InputMaybe<InventoryShipmentTrackingInput>;
};

export type InventoryShipmentCreateUserErrorCode =
  | 'BARCODE_DUPLICATE'
  | 'BUNDLED_ITEM'
  | 'DUPLICATE_ITEM'
  | 'EMPTY_SHIPMENT_INPUT'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_ITEM'
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_INPUT'
  | 'INVALID_TRANSFER_STATUS'
  | 'INVALID_URL'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'TRANSFER_NOT_FOUND'
  | 'UNTRACKED_ITEM';

export type InventoryShipmentDeleteUserErrorCode =
  | 'INVALID_SHIPMENT_STATUS'
  | 'SHIPMENT_NOT_FOUND';

export type InventoryShipmentLineItemInput = {
  inventoryItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type InventoryShipmentMarkInTransitUserErrorCode =
  | 'ACTIVATION_FAILED'
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_STATUS'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEMS_EMPTY'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'SHIPMENT_NOT_FOUND'
  | 'UNTRACKED_ITEM';

export type InventoryShipmentReceiveItemInput = {
  quantity: Scalars['Int']['input'];
  reason: InventoryShipmentReceiveLineItemReason;
  shipmentLineItemId: Scalars['ID']['input'];
};

export type InventoryShipmentReceiveLineItemReason =
  | 'ACCEPTED'
  | 'REJECTED';

export type InventoryShipmentReceiveUserErrorCode =
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INTERNAL_ERROR'
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_STATUS'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'SHIPMENT_NOT_FOUND';

export type InventoryShipmentRemoveItemsUserErrorCode =
  | 'INTERNAL_ERROR'
  | 'INVALID_SHIPMENT_STATUS'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'SHIPMENT_NOT_FOUND';

export type InventoryShipmentSetTrackingUserErrorCode =
  | 'INVALID_URL'
  | 'SHIPMENT_NOT_FOUND';

export type InventoryShipmentStatus =
  | 'DRAFT'
  | 'IN_TRANSIT'
  | 'OTHER'
  | 'PARTIALLY_RECEIVED'
  | 'RECEIVED';

export type InventoryShipmentTrackingInput = {
  arrivesAt?: InputMaybe<Scalars['DateTime']['input']>;
  company?: InputMaybe<Scalars['String']['input']>;
  trackingNumber?: InputMaybe<Scalars['String']['input']>;
  trackingUrl?: InputMaybe<Scalars['URL']['input']>;
};

export type InventoryShipmentUpdateItemQuantitiesInput = {
  quantity: Scalars['Int']['input'];
  shipmentLineItemId: Scalars['ID']['input'];
};

export type InventoryShipmentUpdateItemQuantitiesUserErrorCode =
  | 'INVALID_QUANTITY'
  | 'INVALID_SHIPMENT_STATUS'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'SHIPMENT_NOT_FOUND';

export type InventoryTransferCancelUserErrorCode =
  | 'INVALID_TRANSFER_STATUS'
  | 'SHIPMENT_EXISTS'
  | 'TRANSFER_NOT_FOUND';

export type InventoryTransferCreateAsReadyToShipInput = {
  dateCreated?: InputMaybe<Scalars['DateTime']['input']>;
  destinationLocationId?: InputMaybe<Scalars['ID']['input']>;
  lineItems?: Array<InventoryTransferLineItemInput>;
  note?: InputMaybe<Scalars['String']['input']>;
  originLocationId?: InputMaybe<Scalars['ID']['input']>;
  referenceName?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type InventoryTransferCreateAsReadyToShipUserErrorCode =
  | 'BUNDLED_ITEM'
  | 'DUPLICATE_ITEM'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_QUANTITY'
  | 'INVALID_TRANSFER_STATUS'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEMS_EMPTY'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'LOCATION_REQUIRED'
  | 'TAG_EXCEEDS_MAX_LENGTH'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_ORIGIN_CANNOT_BE_THE_SAME_AS_DESTINATION'
  | 'UNTRACKED_ITEM';

export type InventoryTransferCreateInput = {
  dateCreated?: InputMaybe<Scalars['DateTime']['input']>;
  destinationLocationId?: InputMaybe<Scalars['ID']['input']>;
  lineItems?: Array<InventoryTransferLineItemInput>;
  note?: InputMaybe<Scalars['String']['input']>;
  originLocationId?: InputMaybe<Scalars['ID']['input']>;
  referenceName?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type InventoryTransferCreateUserErrorCode =
  | 'BUNDLED_ITEM'
  | 'DUPLICATE_ITEM'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_QUANTITY'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'TAG_EXCEEDS_MAX_LENGTH'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_ORIGIN_CANNOT_BE_THE_SAME_AS_DESTINATION'
  | 'UNTRACKED_ITEM';

export type InventoryTransferDeleteUserErrorCode =
  | 'INVALID_TRANSFER_STATUS'
  | 'TRANSFER_NOT_FOUND';

export type InventoryTransferDuplicateUserErrorCode =
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'TRANSFER_NOT_FOUND';

export type InventoryTransferEditInput = {
  dateCreated?: InputMaybe<Scalars['Date']['input']>;
  destinationId?: InputMaybe<Scalars['ID']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  originId?: InputMaybe<Scalars['ID']['input']>;
  referenceName?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type InventoryTransferEditUserErrorCode =
  | 'INTERNAL_ERROR'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'TAG_EXCEEDS_MAX_LENGTH'
  | 'TRANSFER_LOCATION_IMMUTABLE'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_ORIGIN_CANNOT_BE_THE_SAME_AS_DESTINATION';

export type InventoryTransferLineItemInput = {
  inventoryItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type InventoryTransferMarkAsReadyToShipUserErrorCode =
  | 'INVALID_ITEM'
  | 'INVALID_TRANSFER_STATUS'
  | 'ITEMS_EMPTY'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'LOCATION_REQUIRED'
  | 'TRANSFER_NOT_FOUND';

export type InventoryTransferRemoveItemsInput = {
  id: Scalars['ID']['input'];
  transferLineItemIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type InventoryTransferRemoveItemsUserErrorCode =
  | 'ALL_QUANTITY_SHIPPED'
  | 'CANT_REMOVE_ALL_ITEMS_FROM_READY_TO_SHIP_TRANSFER'
  | 'INVALID_TRANSFER_STATUS'
  | 'ITEM_NOT_FOUND'
  | 'ITEM_PRESENT_ON_DRAFT_SHIPMENT_WITH_ZERO_QUANTITY'
  | 'LOCATION_NOT_FOUND'
  | 'TRANSFER_NOT_FOUND';

export type InventoryTransferSetItemsInput = {
  id: Scalars['ID']['input'];
  lineItems: Array<InventoryTransferLineItemInput>;
};

export type InventoryTransferSetItemsUserErrorCode =
  | 'BUNDLED_ITEM'
  | 'DUPLICATE_ITEM'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'INVALID_QUANTITY'
  | 'INVALID_TRANSFER_STATUS'
  | 'INVENTORY_STATE_NOT_ACTIVE'
  | 'ITEM_NOT_FOUND'
  | 'LOCATION_NOT_ACTIVE'
  | 'LOCATION_NOT_FOUND'
  | 'TRANSFER_NOT_FOUND'
  | 'UNTRACKED_ITEM';

export type InventoryTransferStatus =
  | 'CANCELED'
  | 'DRAFT'
  | 'IN_PROGRESS'
  | 'OTHER'
  | 'READY_TO_SHIP'
  | 'TRANSFERRED';

export type LanguageCode =
  | 'AF'
  | 'AK'
  | 'AM'
  | 'AR'
  | 'AS'
  | 'AZ'
  | 'BE'
  | 'BG'
  | 'BM'
  | 'BN'
  | 'BO'
  | 'BR'
  | 'BS'
  | 'CA'
  | 'CE'
  | 'CKB'
  | 'CS'
  | 'CU'
  | 'CY'
  | 'DA'
  | 'DE'
  | 'DZ'
  | 'EE'
  | 'EL'
  | 'EN'
  | 'EO'
  | 'ES'
  | 'ET'
  | 'EU'
  | 'FA'
  | 'FF'
  | 'FI'
  | 'FIL'
  | 'FO'
  | 'FR'
  | 'FY'
  | 'GA'
  | 'GD'
  | 'GL'
  | 'GU'
  | 'GV'
  | 'HA'
  | 'HE'
  | 'HI'
  | 'HR'
  | 'HU'
  | 'HY'
  | 'IA'
  | 'ID'
  | 'IG'
  | 'II'
  | 'IS'
  | 'IT'
  | 'JA'
  | 'JV'
  | 'KA'
  | 'KI'
  | 'KK'
  | 'KL'
  | 'KM'
  | 'KN'
  | 'KO'
  | 'KS'
  | 'KU'
  | 'KW'
  | 'KY'
  | 'LB'
  | 'LG'
  | 'LN'
  | 'LO'
  | 'LT'
  | 'LU'
  | 'LV'
  | 'MG'
  | 'MI'
  | 'MK'
  | 'ML'
  | 'MN'
  | 'MR'
  | 'MS'
  | 'MT'
  | 'MY'
  | 'NB'
  | 'ND'
  | 'NE'
  | 'NL'
  | 'NN'
  | 'NO'
  | 'OM'
  | 'OR'
  | 'OS'
  | 'PA'
  | 'PL'
  | 'PS'
  | 'PT'
  | 'PT_BR'
  | 'PT_PT'
  | 'QU'
  | 'RM'
  | 'RN'
  | 'RO'
  | 'RU'
  | 'RW'
  | 'SA'
  | 'SC'
  | 'SD'
  | 'SE'
  | 'SG'
  | 'SI'
  | 'SK'
  | 'SL'
  | 'SN'
  | 'SO'
  | 'SQ'
  | 'SR'
  | 'SU'
  | 'SV'
  | 'SW'
  | 'TA'
  | 'TE'
  | 'TG'
  | 'TH'
  | 'TI'
  | 'TK'
  | 'TO'
  | 'TR'
  | 'TT'
  | 'UG'
  | 'UK'
  | 'UR'
  | 'UZ'
  | 'VI'
  | 'VO'
  | 'WO'
  | 'XH'
  | 'YI'
  | 'YO'
  | 'ZH'
  | 'ZH_CN'
  | 'ZH_TW'
  | 'ZU';

export type LengthUnit =
  | 'CENTIMETERS'
  | 'FEET'
  | 'INCHES'
  | 'METERS'
  | 'MILLIMETERS'
  | 'YARDS';

export type LinkedMetafieldCreateInput = {
  key: Scalars['String']['input'];
  namespace: Scalars['String']['input'];
  values?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type LinkedMetafieldInput = {
  key: Scalars['String']['input'];
  namespace: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

export type LinkedMetafieldUpdateInput = {
  key: Scalars['String']['input'];
  namespace: Scalars['String']['input'];
};

export type LocalizableContentType =
  | 'FILE_REFERENCE'
  | 'HTML'
  | 'INLINE_RICH_TEXT'
  | 'JSON'
  | 'JSON_STRING'
  | 'LINK'
  | 'LIST_FILE_REFERENCE'
  | 'LIST_LINK'
  | 'LIST_MULTI_LINE_TEXT_FIELD'
  | 'LIST_SINGLE_LINE_TEXT_FIELD'
  | 'LIST_URL'
  | 'MULTI_LINE_TEXT_FIELD'
  | 'RICH_TEXT_FIELD'
  | 'SINGLE_LINE_TEXT_FIELD'
  | 'STRING'
  | 'URI'
  | 'URL';

export type LocalizationExtensionInput = {
  key: LocalizationExtensionKey;
  value: Scalars['String']['input'];
};

export type LocalizationExtensionKey =
  | 'SHIPPING_CREDENTIAL_BR'
  | 'SHIPPING_CREDENTIAL_CL'
  | 'SHIPPING_CREDENTIAL_CN'
  | 'SHIPPING_CREDENTIAL_CO'
  | 'SHIPPING_CREDENTIAL_CR'
  | 'SHIPPING_CREDENTIAL_EC'
  | 'SHIPPING_CREDENTIAL_ES'
  | 'SHIPPING_CREDENTIAL_GT'
  | 'SHIPPING_CREDENTIAL_ID'
  | 'SHIPPING_CREDENTIAL_KR'
  | 'SHIPPING_CREDENTIAL_MX'
  | 'SHIPPING_CREDENTIAL_MY'
  | 'SHIPPING_CREDENTIAL_PE'
  | 'SHIPPING_CREDENTIAL_PT'
  | 'SHIPPING_CREDENTIAL_PY'
  | 'SHIPPING_CREDENTIAL_TR'
  | 'SHIPPING_CREDENTIAL_TW'
  | 'SHIPPING_CREDENTIAL_TYPE_CO'
  | 'TAX_CREDENTIAL_BR'
  | 'TAX_CREDENTIAL_CL'
  | 'TAX_CREDENTIAL_CO'
  | 'TAX_CREDENTIAL_CR'
  | 'TAX_CREDENTIAL_EC'
  | 'TAX_CREDENTIAL_ES'
  | 'TAX_CREDENTIAL_GT'
  | 'TAX_CREDENTIAL_ID'
  | 'TAX_CREDENTIAL_IT'
  | 'TAX_CREDENTIAL_MX'
  | 'TAX_CREDENTIAL_MY'
  | 'TAX_CREDENTIAL_PE'
  | 'TAX_CREDENTIAL_PT'
  | 'TAX_CREDENTIAL_PY'
  | 'TAX_CREDENTIAL_TR'
  | 'TAX_CREDENTIAL_TYPE_CO'
  | 'TAX_CREDENTIAL_TYPE_MX'
  | 'TAX_CREDENTIAL_USE_MX'
  | 'TAX_EMAIL_IT';

export type LocalizationExtensionPurpose =
  | 'SHIPPING'
  | 'TAX';

export type LocalizedFieldInput = {
  key: LocalizedFieldKey;
  value: Scalars['String']['input'];
};

export type LocalizedFieldKey =
  | 'SHIPPING_CREDENTIAL_BR'
  | 'SHIPPING_CREDENTIAL_CL'
  | 'SHIPPING_CREDENTIAL_CN'
  | 'SHIPPING_CREDENTIAL_CO'
  | 'SHIPPING_CREDENTIAL_CR'
  | 'SHIPPING_CREDENTIAL_EC'
  | 'SHIPPING_CREDENTIAL_ES'
  | 'SHIPPING_CREDENTIAL_GT'
  | 'SHIPPING_CREDENTIAL_ID'
  | 'SHIPPING_CREDENTIAL_KR'
  | 'SHIPPING_CREDENTIAL_MX'
  | 'SHIPPING_CREDENTIAL_MY'
  | 'SHIPPING_CREDENTIAL_PE'
  | 'SHIPPING_CREDENTIAL_PT'
  | 'SHIPPING_CREDENTIAL_PY'
  | 'SHIPPING_CREDENTIAL_TR'
  | 'SHIPPING_CREDENTIAL_TW'
  | 'SHIPPING_CREDENTIAL_TYPE_CO'
  | 'TAX_CREDENTIAL_BR'
  | 'TAX_CREDENTIAL_CL'
  | 'TAX_CREDENTIAL_CO'
  | 'TAX_CREDENTIAL_CR'
  | 'TAX_CREDENTIAL_EC'
  | 'TAX_CREDENTIAL_ES'
  | 'TAX_CREDENTIAL_GT'
  | 'TAX_CREDENTIAL_ID'
  | 'TAX_CREDENTIAL_IT'
  | 'TAX_CREDENTIAL_MX'
  | 'TAX_CREDENTIAL_MY'
  | 'TAX_CREDENTIAL_PE'
  | 'TAX_CREDENTIAL_PT'
  | 'TAX_CREDENTIAL_PY'
  | 'TAX_CREDENTIAL_TR'
  | 'TAX_CREDENTIAL_TYPE_CO'
  | 'TAX_CREDENTIAL_TYPE_MX'
  | 'TAX_CREDENTIAL_USE_MX'
  | 'TAX_EMAIL_IT';

export type LocalizedFieldPurpose =
  | 'SHIPPING'
  | 'TAX';

export type LocationActivateUserErrorCode =
  | 'GENERIC_ERROR'
  | 'HAS_NON_UNIQUE_NAME'
  | 'HAS_ONGOING_RELOCATION'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'LOCATION_LIMIT'
  | 'LOCATION_NOT_FOUND';

export type LocationAddAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  countryCode: CountryCode;
  phone?: InputMaybe<Scalars['String']['input']>;
  provinceCode?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type LocationAddInput = {
  address: LocationAddAddressInput;
  fulfillsOnlineOrders?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  name: Scalars['String']['input'];
};

export type LocationAddUserErrorCode =
  | 'APP_NOT_AUTHORIZED'
  | 'BLANK'
  | 'CAPABILITY_VIOLATION'
  | 'DISALLOWED_OWNER_TYPE'
  | 'GENERIC_ERROR'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_TYPE'
  | 'INVALID_US_ZIPCODE'
  | 'INVALID_VALUE'
  | 'PRESENT'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNSTRUCTURED_RESERVED_NAMESPACE';

export type LocationDeactivateUserErrorCode =
  | 'CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT'
  | 'DESTINATION_LOCATION_IS_THE_SAME_LOCATION'
  | 'DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE'
  | 'DESTINATION_LOCATION_NOT_SHOPIFY_MANAGED'
  | 'FAILED_TO_RELOCATE_ACTIVE_INVENTORIES'
  | 'FAILED_TO_RELOCATE_INCOMING_MOVEMENTS'
  | 'FAILED_TO_RELOCATE_OPEN_PURCHASE_ORDERS'
  | 'HAS_ACTIVE_INVENTORY_ERROR'
  | 'HAS_ACTIVE_RETAIL_SUBSCRIPTIONS'
  | 'HAS_FULFILLMENT_ORDERS_ERROR'
  | 'HAS_INCOMING_FROM_EXTERNAL_DOCUMENT_SOURCES'
  | 'HAS_INCOMING_MOVEMENTS_ERROR'
  | 'HAS_OPEN_PURCHASE_ORDERS_ERROR'
  | 'IDEMPOTENCY_CONCURRENT_REQUEST'
  | 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH'
  | 'LOCATION_NOT_FOUND'
  | 'PERMANENTLY_BLOCKED_FROM_DEACTIVATION_ERROR'
  | 'TEMPORARILY_BLOCKED_FROM_DEACTIVATION_ERROR';

export type LocationDeleteUserErrorCode =
  | 'GENERIC_ERROR'
  | 'LOCATION_HAS_ACTIVE_RETAIL_SUBSCRIPTION'
  | 'LOCATION_HAS_INVENTORY'
  | 'LOCATION_HAS_PENDING_ORDERS'
  | 'LOCATION_IS_ACTIVE'
  | 'LOCATION_NOT_FOUND';

export type LocationEditAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  countryCode?: InputMaybe<CountryCode>;
  phone?: InputMaybe<Scalars['String']['input']>;
  provinceCode?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type LocationEditInput = {
  address?: InputMaybe<LocationEditAddressInput>;
  fulfillsOnlineOrders?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type LocationEditUserErrorCode =
  | 'APP_NOT_AUTHORIZED'
  | 'BLANK'
  | 'CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT'
  | 'CANNOT_MODIFY_ONLINE_ORDER_FULFILLMENT_FOR_FS_LOCATION'
  | 'CAPABILITY_VIOLATION'
  | 'DISALLOWED_OWNER_TYPE'
  | 'GENERIC_ERROR'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_TYPE'
  | 'INVALID_US_ZIPCODE'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'PRESENT'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNSTRUCTURED_RESERVED_NAMESPACE';

export type LocationIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type LocationSortKeys =
  | 'ID'
  | 'NAME'
  | 'RELEVANCE';

export type MailingAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  company?: InputMaybe<Scalars['String']['input']>;
  countryCode?: InputMaybe<CountryCode>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  provinceCode?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type MailingAddressValidationResult =
  | 'ERROR'
  | 'NO_ISSUES'
  | 'WARNING';

export type MandateResourceType =
  | 'CHECKOUT'
  | 'CREDENTIAL_ON_FILE'
  | 'DRAFT_ORDER'
  | 'ORDER'
  | 'SUBSCRIPTIONS';

export type MarketConditionApplicationType =
  | 'ALL'
  | 'SPECIFIED';

export type MarketConditionType =
  | 'COMPANY_LOCATION'
  | 'LOCATION'
  | 'REGION';

export type MarketConditionsCompanyLocationsInput = {
  applicationLevel?: InputMaybe<MarketConditionApplicationType>;
  companyLocationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MarketConditionsInput = {
  companyLocationsCondition?: InputMaybe<MarketConditionsCompanyLocationsInput>;
  locationsCondition?: InputMaybe<MarketConditionsLocationsInput>;
  regionsCondition?: InputMaybe<MarketConditionsRegionsInput>;
};

export type MarketConditionsLocationsInput = {
  applicationLevel?: InputMaybe<MarketConditionApplicationType>;
  locationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MarketConditionsRegionInput = {
  countryCode: CountryCode;
};

export type MarketConditionsRegionsInput = {
  applicationLevel?: InputMaybe<MarketConditionApplicationType>;
  regionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  regions?: InputMaybe<Array<MarketConditionsRegionInput>>;
};

export type MarketConditionsUpdateInput = {
  conditionsToAdd?: InputMaybe<MarketConditionsInput>;
  conditionsToDelete?: InputMaybe<MarketConditionsInput>;
};

export type MarketCreateInput = {
  catalogs?: InputMaybe<Array<Scalars['ID']['input']>>;
  conditions?: InputMaybe<MarketConditionsInput>;
  currencySettings?: InputMaybe<MarketCurrencySettingsUpdateInput>;
  handle?: InputMaybe<Scalars['String']['input']>;
  makeDuplicateUniqueMarketsDraft?: InputMaybe<Scalars['Boolean']['input']>;
  name: Scalars['String']['input'];
  priceInclusions?: InputMaybe<MarketPriceInclusionsInput>;
  status?: InputMaybe<MarketStatus>;
  webPresences?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MarketCurrencySettingsUpdateInput = {
  baseCurrency?: InputMaybe<CurrencyCode>;
  baseCurrencyManualRate?: InputMaybe<Scalars['Decimal']['input']>;
  localCurrencies?: InputMaybe<Scalars['Boolean']['input']>;
  roundingEnabled?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MarketCurrencySettingsUserErrorCode =
  | 'MANAGED_MARKET'
  | 'MARKET_NOT_FOUND'
  | 'MULTIPLE_CURRENCIES_NOT_SUPPORTED'
  | 'NO_LOCAL_CURRENCIES_ON_SINGLE_COUNTRY_MARKET'
  | 'PRIMARY_MARKET_USES_SHOP_CURRENCY'
  | 'UNIFIED_MARKETS_ENABLED'
  | 'UNSUPPORTED_CURRENCY';

export type MarketLocalizableResourceType =
  | 'METAFIELD'
  | 'METAOBJECT';

export type MarketLocalizationRegisterInput = {
  key: Scalars['String']['input'];
  marketId: Scalars['ID']['input'];
  marketLocalizableContentDigest: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type MarketPriceInclusionsInput = {
  dutiesPricingStrategy?: InputMaybe<InclusiveDutiesPricingStrategy>;
  taxPricingStrategy?: InputMaybe<InclusiveTaxPricingStrategy>;
};

export type MarketRegionCreateInput = {
  countryCode: CountryCode;
};

export type MarketStatus =
  | 'ACTIVE'
  | 'DRAFT';

export type MarketType =
  | 'COMPANY_LOCATION'
  | 'LOCATION'
  | 'NONE'
  | 'REGION';

export type MarketUpdateInput = {
  catalogsToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  catalogsToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
  conditions?: InputMaybe<MarketConditionsUpdateInput>;
  currencySettings?: InputMaybe<MarketCurrencySettingsUpdateInput>;
  handle?: InputMaybe<Scalars['String']['input']>;
  makeDuplicateUniqueMarketsDraft?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  priceInclusions?: InputMaybe<MarketPriceInclusionsInput>;
  removeCurrencySettings?: InputMaybe<Scalars['Boolean']['input']>;
  removePriceInclusions?: InputMaybe<Scalars['Boolean']['input']>;
  status?: InputMaybe<MarketStatus>;
  webPresencesToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  webPresencesToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MarketUserErrorCode =
  | 'B2B_MARKET_MUST_BE_MERCHANT_MANAGED'
  | 'BLANK'
  | 'CANNOT_ADD_CUSTOMER_DOMAIN'
  | 'CANNOT_ADD_REGIONS_TO_PRIMARY_MARKET'
  | 'CANNOT_ADD_WEB_PRESENCE_TO_PRIMARY_MARKET'
  | 'CANNOT_DELETE_ONLY_REGION'
  | 'CANNOT_DELETE_PRIMARY_MARKET'
  | 'CANNOT_DELETE_PRIMARY_MARKET_WEB_PRESENCE'
  | 'CANNOT_DISABLE_PRIMARY_MARKET'
  | 'CANNOT_HAVE_BOTH_SUBFOLDER_AND_DOMAIN_WEB_PRESENCES'
  | 'CANNOT_HAVE_MULTIPLE_SUBFOLDERS_PER_MARKET'
  | 'CANNOT_HAVE_SUBFOLDER_AND_DOMAIN'
  | 'CANNOT_SET_DEFAULT_LOCALE_TO_NULL'
  | 'CATALOGS_WITH_VOLUME_PRICING_OR_QUANTITY_RULES_NOT_SUPPORTED'
  | 'CATALOG_CONDITION_TYPES_MUST_BE_THE_SAME'
  | 'CATALOG_NOT_COMPATIBLE_WITH_CONDITION_TYPES'
  | 'CATALOG_TYPE_NOT_SUPPORTED'
  | 'CONDITIONS_NOT_FOUND'
  | 'CONTAINS_REGIONS_THAT_CANNOT_BE_MANAGED'
  | 'CUSTOMIZATIONS_NOT_FOUND'
  | 'DISABLED_LANGUAGE'
  | 'DOMAIN_NOT_FOUND'
  | 'DUPLICATE_LANGUAGES'
  | 'DUPLICATE_REGION_MARKET'
  | 'DUPLICATE_UNIQUE_MARKET'
  | 'EXCEEDS_MAX_MULTI_CONTEXT_MARKETS'
  | 'GENERIC_ERROR'
  | 'INCLUSION'
  | 'INCLUSIVE_PRICING_NOT_COMPATIBLE_WITH_CONDITION_TYPES'
  | 'INCOMPATIBLE_CONDITIONS'
  | 'INVALID'
  | 'INVALID_PROVINCE_FORMAT'
  | 'INVALID_RESPONDER_FOR_PROVINCE_DRIVEN_MARKET'
  | 'INVALID_STATUS_AND_ENABLED_COMBINATION'
  | 'LOCATION_MATCH_ALL_REQUIRES_ONE_SPECIFIC_REGION'
  | 'LOCATION_REGION_COUNTRY_MISMATCH'
  | 'MANAGED_MARKET'
  | 'MANAGED_MARKETS_CATALOG_NOT_ALLOWED'
  | 'MARKET_CANT_HAVE_DIRECT_CONNECTION_CATALOG'
  | 'MARKET_NOT_COMPATIBLE_WITH_CONDITION_TYPES'
  | 'MARKET_NOT_FOUND'
  | 'MARKET_REACHED_WEB_PRESENCE_LIMIT'
  | 'MISSING_COUNTRY_CODE'
  | 'MISSING_PROVINCE_CODE'
  | 'MIXED_COUNTRY_LOCATIONS_NOT_ALLOWED'
  | 'MULTIPLE_CURRENCIES_NOT_SUPPORTED'
  | 'MUST_HAVE_AT_LEAST_ONE_ACTIVE_REGION_MARKET'
  | 'NOT_ENTITLED_TO_ACTIVATE_MARKET'
  | 'NO_LANGUAGES'
  | 'NO_LOCAL_CURRENCIES_ON_SINGLE_COUNTRY_MARKET'
  | 'NO_ROUNDING_ON_LEGACY_MARKET'
  | 'POS_LOCATION_MARKET_MUST_BE_MERCHANT_MANAGED'
  | 'PRIMARY_MARKET_MUST_USE_PRIMARY_DOMAIN'
  | 'PROVINCE_DOES_NOT_EXIST'
  | 'REGION_NOT_FOUND'
  | 'REGION_SPECIFIC_LANGUAGE'
  | 'REQUIRES_DOMAIN_OR_SUBFOLDER'
  | 'REQUIRES_EXACTLY_ONE_OPTION'
  | 'RETAIL_LOCATION_CURRENCY_MUST_BE_LOCAL'
  | 'SHOP_MUST_HAVE_PRIMARY_DOMAIN_WEB_PRESENCE'
  | 'SHOP_REACHED_MARKETS_LIMIT'
  | 'SPECIFIED_CONDITIONS_CANNOT_BE_EMPTY'
  | 'SPECIFIED_NOT_VALID_FOR_INPUT'
  | 'SUBFOLDER_SUFFIX_CANNOT_BE_SCRIPT_CODE'
  | 'SUBFOLDER_SUFFIX_MUST_BE_AT_LEAST_2_LETTERS'
  | 'SUBFOLDER_SUFFIX_MUST_CONTAIN_ONLY_LETTERS'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNIFIED_MARKETS_NOT_ENABLED'
  | 'UNPERMITTED_ENTITLEMENTS_MARKET_CATALOGS'
  | 'UNPUBLISHED_LANGUAGE'
  | 'UNSUPPORTED_COUNTRY_REGION'
  | 'UNSUPPORTED_CURRENCY'
  | 'USER_LACKS_PERMISSION'
  | 'WEB_PRESENCE_NOT_COMPATIBLE_WITH_CONDITION_TYPES'
  | 'WEB_PRESENCE_NOT_FOUND'
  | 'WEB_PRESENCE_REACHED_MARKETS_LIMIT'
  | 'WEB_PRESENCE_RETAIL_LOCATION'
  | 'WILDCARD_NOT_SUPPORTED';

export type MarketWebPresenceCreateInput = {
  alternateLocales?: InputMaybe<Array<Scalars['String']['input']>>;
  defaultLocale: Scalars['String']['input'];
  domainId?: InputMaybe<Scalars['ID']['input']>;
  subfolderSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type MarketWebPresenceUpdateInput = {
  alternateLocales?: InputMaybe<Array<Scalars['String']['input']>>;
  defaultLocale?: InputMaybe<Scalars['String']['input']>;
  domainId?: InputMaybe<Scalars['ID']['input']>;
  subfolderSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type MarketingActivityBudgetInput = {
  budgetType?: InputMaybe<MarketingBudgetBudgetType>;
  total?: InputMaybe<MoneyInput>;
};

export type MarketingActivityCreateExternalInput = {
  adSpend?: InputMaybe<MoneyInput>;
  budget?: InputMaybe<MarketingActivityBudgetInput>;
  channelHandle?: InputMaybe<Scalars['String']['input']>;
  end?: InputMaybe<Scalars['DateTime']['input']>;
  hierarchyLevel?: InputMaybe<MarketingActivityHierarchyLevel>;
  marketingChannelType: MarketingChannel;
  parentActivityId?: InputMaybe<Scalars['ID']['input']>;
  parentRemoteId?: InputMaybe<Scalars['String']['input']>;
  referringDomain?: InputMaybe<Scalars['String']['input']>;
  remoteId?: InputMaybe<Scalars['String']['input']>;
  remotePreviewImageUrl?: InputMaybe<Scalars['URL']['input']>;
  remoteUrl: Scalars['URL']['input'];
  scheduledEnd?: InputMaybe<Scalars['DateTime']['input']>;
  scheduledStart?: InputMaybe<Scalars['DateTime']['input']>;
  start?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<MarketingActivityExternalStatus>;
  tactic: MarketingTactic;
  title: Scalars['String']['input'];
  urlParameterValue?: InputMaybe<Scalars['String']['input']>;
  utm?: InputMaybe<UtmInput>;
};

export type MarketingActivityCreateInput = {
  marketingActivityExtensionId: Scalars['ID']['input'];
  status: MarketingActivityStatus;
};

export type MarketingActivityExtensionAppErrorCode =
  | 'API_ERROR'
  | 'INSTALL_REQUIRED_ERROR'
  | 'NOT_ONBOARDED_ERROR'
  | 'PLATFORM_ERROR'
  | 'VALIDATION_ERROR';

export type MarketingActivityExternalStatus =
  | 'ACTIVE'
  | 'DELETED_EXTERNALLY'
  | 'INACTIVE'
  | 'PAUSED'
  | 'SCHEDULED'
  | 'UNDEFINED';

export type MarketingActivityHierarchyLevel =
  | 'AD'
  | 'AD_GROUP'
  | 'CAMPAIGN';

export type MarketingActivitySortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'TITLE';

export type MarketingActivityStatus =
  | 'ACTIVE'
  | 'DELETED'
  | 'DELETED_EXTERNALLY'
  | 'DISCONNECTED'
  | 'DRAFT'
  | 'FAILED'
  | 'INACTIVE'
  | 'PAUSED'
  | 'PENDING'
  | 'SCHEDULED'
  | 'UNDEFINED';

export type MarketingActivityStatusBadgeType =
  | 'ATTENTION'
  | 'CRITICAL'
  | 'DEFAULT'
  | 'INFO'
  | 'SUCCESS'
  | 'WARNING';

export type MarketingActivityUpdateExternalInput = {
  adSpend?: InputMaybe<MoneyInput>;
  budget?: InputMaybe<MarketingActivityBudgetInput>;
  end?: InputMaybe<Scalars['DateTime']['input']>;
  marketingChannelType?: InputMaybe<MarketingChannel>;
  referringDomain?: InputMaybe<Scalars['String']['input']>;
  remotePreviewImageUrl?: InputMaybe<Scalars['URL']['input']>;
  remoteUrl?: InputMaybe<Scalars['URL']['input']>;
  scheduledEnd?: InputMaybe<Scalars['DateTime']['input']>;
  scheduledStart?: InputMaybe<Scalars['DateTime']['input']>;
  start?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<MarketingActivityExternalStatus>;
  tactic?: InputMaybe<MarketingTactic>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type MarketingActivityUpdateInput = {
  id: Scalars['ID']['input'];
};

export type MarketingActivityUpsertExternalInput = {
  adSpend?: InputMaybe<MoneyInput>;
  budget?: InputMaybe<MarketingActivityBudgetInput>;
  channelHandle?: InputMaybe<Scalars['String']['input']>;
  end?: InputMaybe<Scalars['DateTime']['input']>;
  hierarchyLevel?: InputMaybe<MarketingActivityHierarchyLevel>;
  marketingChannelType: MarketingChannel;
  parentRemoteId?: InputMaybe<Scalars['String']['input']>;
  referringDomain?: InputMaybe<Scalars['String']['input']>;
  remoteId: Scalars['String']['input'];
  remotePreviewImageUrl?: InputMaybe<Scalars['URL']['input']>;
  remoteUrl: Scalars['URL']['input'];
  scheduledEnd?: InputMaybe<Scalars['DateTime']['input']>;
  scheduledStart?: InputMaybe<Scalars['DateTime']['input']>;
  start?: InputMaybe<Scalars['DateTime']['input']>;
  status: MarketingActivityExternalStatus;
  tactic: MarketingTactic;
  title: Scalars['String']['input'];
  urlParameterValue?: InputMaybe<Scalars['String']['input']>;
  utm?: InputMaybe<UtmInput>;
};

export type MarketingActivityUserErrorCode =
  | 'ACTIVITY_NOT_EXTERNAL'
  | 'CANNOT_DELETE_ACTIVITY_WITH_CHILD_EVENTS'
  | 'CANNOT_UPDATE_TACTIC_IF_ORIGINALLY_STOREFRONT_APP'
  | 'CANNOT_UPDATE_TACTIC_TO_STOREFRONT_APP'
  | 'CURRENCY_CODE_MISMATCH_INPUT'
  | 'DELETE_JOB_ENQUEUED'
  | 'DELETE_JOB_FAILED_TO_ENQUEUE'
  | 'IMMUTABLE_CHANNEL_HANDLE'
  | 'IMMUTABLE_HIERARCHY_LEVEL'
  | 'IMMUTABLE_PARENT_ID'
  | 'IMMUTABLE_URL_PARAMETER'
  | 'IMMUTABLE_UTM_PARAMETERS'
  | 'INVALID'
  | 'INVALID_CHANNEL_HANDLE'
  | 'INVALID_DELETE_ACTIVITY_EXTERNAL_ARGUMENTS'
  | 'INVALID_DELETE_ENGAGEMENTS_ARGUMENTS'
  | 'INVALID_MARKETING_ACTIVITY_EXTERNAL_ARGUMENTS'
  | 'INVALID_MARKETING_ENGAGEMENT_ARGUMENTS'
  | 'INVALID_MARKETING_ENGAGEMENT_ARGUMENT_MISSING'
  | 'INVALID_REMOTE_ID'
  | 'MARKETING_ACTIVITY_CURRENCY_CODE_MISMATCH'
  | 'MARKETING_ACTIVITY_DOES_NOT_EXIST'
  | 'MARKETING_ACTIVITY_WITH_REMOTE_ID_ALREADY_EXISTS'
  | 'MARKETING_ACTIVITY_WITH_URL_PARAMETER_VALUE_ALREADY_EXISTS'
  | 'MARKETING_ACTIVITY_WITH_UTM_CAMPAIGN_ALREADY_EXISTS'
  | 'MARKETING_EVENT_DOES_NOT_EXIST'
  | 'NON_HIERARCHIAL_REQUIRES_UTM_URL_PARAMETER'
  | 'TAKEN';

export type MarketingBudgetBudgetType =
  | 'DAILY'
  | 'LIFETIME';

export type MarketingChannel =
  | 'DISPLAY'
  | 'EMAIL'
  | 'REFERRAL'
  | 'SEARCH'
  | 'SOCIAL';

export type MarketingEngagementInput = {
  adSpend?: InputMaybe<MoneyInput>;
  allConversions?: InputMaybe<Scalars['Decimal']['input']>;
  clicksCount?: InputMaybe<Scalars['Int']['input']>;
  commentsCount?: InputMaybe<Scalars['Int']['input']>;
  complaintsCount?: InputMaybe<Scalars['Int']['input']>;
  failsCount?: InputMaybe<Scalars['Int']['input']>;
  favoritesCount?: InputMaybe<Scalars['Int']['input']>;
  firstTimeCustomers?: InputMaybe<Scalars['Decimal']['input']>;
  impressionsCount?: InputMaybe<Scalars['Int']['input']>;
  isCumulative: Scalars['Boolean']['input'];
  occurredOn: Scalars['Date']['input'];
  orders?: InputMaybe<Scalars['Decimal']['input']>;
  primaryConversions?: InputMaybe<Scalars['Decimal']['input']>;
  returningCustomers?: InputMaybe<Scalars['Decimal']['input']>;
  sales?: InputMaybe<MoneyInput>;
  sendsCount?: InputMaybe<Scalars['Int']['input']>;
  sessionsCount?: InputMaybe<Scalars['Int']['input']>;
  sharesCount?: InputMaybe<Scalars['Int']['input']>;
  uniqueClicksCount?: InputMaybe<Scalars['Int']['input']>;
  uniqueViewsCount?: InputMaybe<Scalars['Int']['input']>;
  unsubscribesCount?: InputMaybe<Scalars['Int']['input']>;
  utcOffset: Scalars['UtcOffset']['input'];
  viewsCount?: InputMaybe<Scalars['Int']['input']>;
};

export type MarketingEventSortKeys =
  | 'ID'
  | 'STARTED_AT';

export type MarketingTactic =
  | 'ABANDONED_CART'
  | 'AD'
  | 'AFFILIATE'
  | 'LINK'
  | 'LOYALTY'
  | 'MESSAGE'
  | 'NEWSLETTER'
  | 'NOTIFICATION'
  | 'POST'
  | 'RETARGETING'
  | 'SEO'
  | 'STOREFRONT_APP'
  | 'TRANSACTIONAL';

export type MarketsSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'MARKET_CONDITION_TYPES'
  | 'MARKET_TYPE'
  | 'NAME'
  | 'STATUS'
  | 'UPDATED_AT';

export type MediaContentType =
  | 'EXTERNAL_VIDEO'
  | 'IMAGE'
  | 'MODEL_3D'
  | 'VIDEO';

export type MediaErrorCode =
  | 'DUPLICATE_FILENAME_ERROR'
  | 'EXTERNAL_VIDEO_EMBED_DISABLED'
  | 'EXTERNAL_VIDEO_EMBED_NOT_FOUND_OR_TRANSCODING'
  | 'EXTERNAL_VIDEO_INVALID_ASPECT_RATIO'
  | 'EXTERNAL_VIDEO_NOT_FOUND'
  | 'EXTERNAL_VIDEO_UNLISTED'
  | 'FILE_STORAGE_LIMIT_EXCEEDED'
  | 'GENERIC_FILE_DOWNLOAD_FAILURE'
  | 'GENERIC_FILE_INVALID_SIZE'
  | 'IMAGE_DOWNLOAD_FAILURE'
  | 'IMAGE_PROCESSING_FAILURE'
  | 'INVALID_IMAGE_ASPECT_RATIO'
  | 'INVALID_IMAGE_FILE_SIZE'
  | 'INVALID_IMAGE_RESOLUTION'
  | 'INVALID_SIGNED_URL'
  | 'MEDIA_TIMEOUT_ERROR'
  | 'MODEL3D_GLB_OUTPUT_CREATION_ERROR'
  | 'MODEL3D_GLB_TO_USDZ_CONVERSION_ERROR'
  | 'MODEL3D_PROCESSING_FAILURE'
  | 'MODEL3D_THUMBNAIL_GENERATION_ERROR'
  | 'MODEL3D_THUMBNAIL_REGENERATION_ERROR'
  | 'MODEL3D_VALIDATION_ERROR'
  | 'UNKNOWN'
  | 'UNSUPPORTED_IMAGE_FILE_TYPE'
  | 'VIDEO_INVALID_FILETYPE_ERROR'
  | 'VIDEO_MAX_DURATION_ERROR'
  | 'VIDEO_MAX_HEIGHT_ERROR'
  | 'VIDEO_MAX_WIDTH_ERROR'
  | 'VIDEO_METADATA_READ_ERROR'
  | 'VIDEO_MIN_DURATION_ERROR'
  | 'VIDEO_MIN_HEIGHT_ERROR'
  | 'VIDEO_MIN_WIDTH_ERROR'
  | 'VIDEO_VALIDATION_ERROR';

export type MediaHost =
  | 'VIMEO'
  | 'YOUTUBE';

export type MediaPreviewImageStatus =
  | 'FAILED'
  | 'PROCESSING'
  | 'READY'
  | 'UPLOADED';

export type MediaStatus =
  | 'FAILED'
  | 'PROCESSING'
  | 'READY'
  | 'UPLOADED';

export type MediaUserErrorCode =
  | 'BLANK'
  | 'INVALID'
  | 'INVALID_MEDIA_TYPE'
  | 'MAXIMUM_VARIANT_MEDIA_PAIRS_EXCEEDED'
  | 'MEDIA_CANNOT_BE_MODIFIED'
  | 'MEDIA_DOES_NOT_EXIST'
  | 'MEDIA_DOES_NOT_EXIST_ON_PRODUCT'
  | 'MEDIA_IS_NOT_ATTACHED_TO_VARIANT'
  | 'MISSING_ARGUMENTS'
  | 'MODEL3D_THROTTLE_EXCEEDED'
  | 'MODEL3D_VALIDATION_ERROR'
  | 'NON_READY_MEDIA'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_MEDIA_LIMIT_EXCEEDED'
  | 'PRODUCT_SUSPENDED'
  | 'PRODUCT_VARIANT_ALREADY_HAS_MEDIA'
  | 'PRODUCT_VARIANT_DOES_NOT_EXIST_ON_PRODUCT'
  | 'PRODUCT_VARIANT_SPECIFIED_MULTIPLE_TIMES'
  | 'SHOP_MEDIA_LIMIT_EXCEEDED'
  | 'TOO_MANY_MEDIA_PER_INPUT_PAIR'
  | 'VIDEO_THROTTLE_EXCEEDED'
  | 'VIDEO_VALIDATION_ERROR';

export type MediaWarningCode =
  | 'MODEL_LARGE_PHYSICAL_SIZE'
  | 'MODEL_PREVIEW_IMAGE_FAIL'
  | 'MODEL_SMALL_PHYSICAL_SIZE';

export type MenuCreateUserErrorCode =
  | 'NESTING_TOO_DEEP'
  | 'NOT_FOUND';

export type MenuDeleteUserErrorCode =
  | 'MENU_DOES_NOT_EXIST'
  | 'UNABLE_TO_DELETE_DEFAULT_MENU';

export type MenuItemCreateInput = {
  items?: InputMaybe<Array<MenuItemCreateInput>>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  title: Scalars['String']['input'];
  type: MenuItemType;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type MenuItemType =
  | 'ARTICLE'
  | 'BLOG'
  | 'CATALOG'
  | 'COLLECTION'
  | 'COLLECTIONS'
  | 'CUSTOMER_ACCOUNT_PAGE'
  | 'FRONTPAGE'
  | 'HTTP'
  | 'METAOBJECT'
  | 'PAGE'
  | 'PRODUCT'
  | 'SEARCH'
  | 'SHOP_POLICY';

export type MenuItemUpdateInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  items?: InputMaybe<Array<MenuItemUpdateInput>>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  title: Scalars['String']['input'];
  type: MenuItemType;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type MenuSortKeys =
  | 'ID'
  | 'TITLE'
  | 'UPDATED_AT';

export type MenuUpdateUserErrorCode =
  | 'NESTING_TOO_DEEP'
  | 'NOT_FOUND';

export type MerchandiseDiscountClass =
  | 'ORDER'
  | 'PRODUCT';

export type MetafieldAccessInput = {
  admin?: InputMaybe<MetafieldAdminAccessInput>;
  customerAccount?: InputMaybe<MetafieldCustomerAccountAccessInput>;
  storefront?: InputMaybe<MetafieldStorefrontAccessInput>;
};

export type MetafieldAccessUpdateInput = {
  admin?: InputMaybe<MetafieldAdminAccessInput>;
  customerAccount?: InputMaybe<MetafieldCustomerAccountAccessInput>;
  storefront?: InputMaybe<MetafieldStorefrontAccessInput>;
};

export type MetafieldAdminAccess =
  | 'MERCHANT_READ'
  | 'MERCHANT_READ_WRITE'
  | 'PRIVATE'
  | 'PUBLIC_READ'
  | 'PUBLIC_READ_WRITE';

export type MetafieldAdminAccessInput =
  | 'MERCHANT_READ'
  | 'MERCHANT_READ_WRITE';

export type MetafieldCapabilityAdminFilterableInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetafieldCapabilityCreateInput = {
  adminFilterable?: InputMaybe<MetafieldCapabilityAdminFilterableInput>;
  smartCollectionCondition?: InputMaybe<MetafieldCapabilitySmartCollectionConditionInput>;
  uniqueValues?: InputMaybe<MetafieldCapabilityUniqueValuesInput>;
};

export type MetafieldCapabilitySmartCollectionConditionInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetafieldCapabilityUniqueValuesInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetafieldCapabilityUpdateInput = {
  adminFilterable?: InputMaybe<MetafieldCapabilityAdminFilterableInput>;
  smartCollectionCondition?: InputMaybe<MetafieldCapabilitySmartCollectionConditionInput>;
  uniqueValues?: InputMaybe<MetafieldCapabilityUniqueValuesInput>;
};

export type MetafieldCustomerAccountAccess =
  | 'NONE'
  | 'READ'
  | 'READ_WRITE';

export type MetafieldCustomerAccountAccessInput =
  | 'NONE'
  | 'READ'
  | 'READ_WRITE';

export type MetafieldDefinitionAdminFilterStatus =
  | 'FAILED'
  | 'FILTERABLE'
  | 'IN_PROGRESS'
  | 'NOT_FILTERABLE';

export type MetafieldDefinitionConstraintStatus =
  | 'CONSTRAINED_AND_UNCONSTRAINED'
  | 'CONSTRAINED_ONLY'
  | 'UNCONSTRAINED_ONLY';

export type MetafieldDefinitionConstraintSubtypeIdentifier = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type MetafieldDefinitionConstraintValueUpdateInput = {
  create?: InputMaybe<Scalars['String']['input']>;
  delete?: InputMaybe<Scalars['String']['input']>;
};

export type MetafieldDefinitionConstraintsInput = {
  key: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

export type MetafieldDefinitionConstraintsUpdatesInput = {
  key?: InputMaybe<Scalars['String']['input']>;
  values?: InputMaybe<Array<MetafieldDefinitionConstraintValueUpdateInput>>;
};

export type MetafieldDefinitionCreateUserErrorCode =
  | 'ADMIN_ACCESS_INPUT_NOT_ALLOWED'
  | 'BLANK'
  | 'CAPABILITY_REQUIRED_BUT_DISABLED'
  | 'DUPLICATE_OPTION'
  | 'INCLUSION'
  | 'INVALID'
  | 'INVALID_CAPABILITY'
  | 'INVALID_CHARACTER'
  | 'INVALID_CONSTRAINTS'
  | 'INVALID_INPUT_COMBINATION'
  | 'INVALID_OPTION'
  | 'LIMIT_EXCEEDED'
  | 'OWNER_TYPE_LIMIT_EXCEEDED_FOR_AUTOMATED_COLLECTIONS'
  | 'OWNER_TYPE_LIMIT_EXCEEDED_FOR_USE_AS_ADMIN_FILTERS'
  | 'PINNED_LIMIT_REACHED'
  | 'PRESENT'
  | 'RESERVED_NAMESPACE_KEY'
  | 'RESOURCE_TYPE_LIMIT_EXCEEDED'
  | 'RESOURCE_TYPE_LIMIT_EXCEEDED_BY_APP'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'TYPE_NOT_ALLOWED_FOR_CONDITIONS'
  | 'UNSTRUCTURED_ALREADY_EXISTS'
  | 'UNSUPPORTED_PINNING';

export type MetafieldDefinitionDeleteUserErrorCode =
  | 'APP_CONFIG_MANAGED'
  | 'DISALLOWED_OWNER_TYPE'
  | 'ID_TYPE_DELETION_ERROR'
  | 'INTERNAL_ERROR'
  | 'METAFIELD_DEFINITION_IN_USE'
  | 'NOT_FOUND'
  | 'PRESENT'
  | 'REFERENCE_TYPE_DELETION_ERROR'
  | 'RESERVED_NAMESPACE_ORPHANED_METAFIELDS'
  | 'STANDARD_METAFIELD_DEFINITION_DEPENDENT_ON_APP';

export type MetafieldDefinitionIdentifierInput = {
  key: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
  ownerType: MetafieldOwnerType;
};

export type MetafieldDefinitionInput = {
  access?: InputMaybe<MetafieldAccessInput>;
  capabilities?: InputMaybe<MetafieldCapabilityCreateInput>;
  constraints?: InputMaybe<MetafieldDefinitionConstraintsInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  name: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
  ownerType: MetafieldOwnerType;
  pin?: InputMaybe<Scalars['Boolean']['input']>;
  type: Scalars['String']['input'];
  validations?: InputMaybe<Array<MetafieldDefinitionValidationInput>>;
};

export type MetafieldDefinitionPinUserErrorCode =
  | 'ALREADY_PINNED'
  | 'DISALLOWED_OWNER_TYPE'
  | 'INTERNAL_ERROR'
  | 'NOT_FOUND'
  | 'PINNED_LIMIT_REACHED'
  | 'UNSUPPORTED_PINNING';

export type MetafieldDefinitionPinnedStatus =
  | 'ANY'
  | 'PINNED'
  | 'UNPINNED';

export type MetafieldDefinitionSortKeys =
  | 'ID'
  | 'NAME'
  | 'PINNED_POSITION'
  | 'RELEVANCE';

export type MetafieldDefinitionUnpinUserErrorCode =
  | 'APP_CONFIG_MANAGED'
  | 'DISALLOWED_OWNER_TYPE'
  | 'INTERNAL_ERROR'
  | 'NOT_FOUND'
  | 'NOT_PINNED';

export type MetafieldDefinitionUpdateInput = {
  access?: InputMaybe<MetafieldAccessUpdateInput>;
  capabilities?: InputMaybe<MetafieldCapabilityUpdateInput>;
  constraintsUpdates?: InputMaybe<MetafieldDefinitionConstraintsUpdatesInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  ownerType: MetafieldOwnerType;
  pin?: InputMaybe<Scalars['Boolean']['input']>;
  validations?: InputMaybe<Array<MetafieldDefinitionValidationInput>>;
};

export type MetafieldDefinitionUpdateUserErrorCode =
  | 'ADMIN_ACCESS_INPUT_NOT_ALLOWED'
  | 'APP_CONFIG_MANAGED'
  | 'BLANK'
  | 'CAPABILITY_CANNOT_BE_DISABLED'
  | 'CAPABILITY_REQUIRED_BUT_DISABLED'
  | 'DISALLOWED_OWNER_TYPE'
  | 'DUPLICATE_OPTION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_CAPABILITY'
  | 'INVALID_CONSTRAINTS'
  | 'INVALID_INPUT'
  | 'INVALID_INPUT_COMBINATION'
  | 'INVALID_OPTION'
  | 'METAFIELD_DEFINITION_IN_USE'
  | 'METAOBJECT_DEFINITION_CHANGED'
  | 'NOT_FOUND'
  | 'OWNER_TYPE_LIMIT_EXCEEDED_FOR_AUTOMATED_COLLECTIONS'
  | 'OWNER_TYPE_LIMIT_EXCEEDED_FOR_USE_AS_ADMIN_FILTERS'
  | 'PINNED_LIMIT_REACHED'
  | 'PRESENT'
  | 'TOO_LONG'
  | 'TYPE_NOT_ALLOWED_FOR_CONDITIONS'
  | 'UNSUPPORTED_PINNING';

export type MetafieldDefinitionValidationInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type MetafieldDefinitionValidationStatus =
  | 'ALL_VALID'
  | 'IN_PROGRESS'
  | 'SOME_INVALID';

export type MetafieldIdentifierInput = {
  key: Scalars['String']['input'];
  namespace: Scalars['String']['input'];
  ownerId: Scalars['ID']['input'];
};

export type MetafieldInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  key?: InputMaybe<Scalars['String']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
  value?: InputMaybe<Scalars['String']['input']>;
};

export type MetafieldOwnerType =
  | 'API_PERMISSION'
  | 'ARTICLE'
  | 'BLOG'
  | 'CARTTRANSFORM'
  | 'COLLECTION'
  | 'COMPANY'
  | 'COMPANY_LOCATION'
  | 'CUSTOMER'
  | 'DELIVERY_CUSTOMIZATION'
  | 'DISCOUNT'
  | 'DRAFTORDER'
  | 'FULFILLMENT_CONSTRAINT_RULE'
  | 'GIFT_CARD_TRANSACTION'
  | 'LOCATION'
  | 'MARKET'
  | 'MEDIA_IMAGE'
  | 'ORDER'
  | 'ORDER_ROUTING_LOCATION_RULE'
  | 'PAGE'
  | 'PAYMENT_CUSTOMIZATION'
  | 'PRODUCT'
  | 'PRODUCTVARIANT'
  | 'SELLING_PLAN'
  | 'SHOP'
  | 'VALIDATION';

export type MetafieldStorefrontAccess =
  | 'NONE'
  | 'PUBLIC_READ';

export type MetafieldStorefrontAccessInput =
  | 'NONE'
  | 'PUBLIC_READ';

export type MetafieldValidationStatus =
  | 'ANY'
  | 'INVALID'
  | 'VALID';

export type MetafieldValueType =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'JSON_STRING'
  | 'STRING';

export type MetafieldsSetInput = {
  compareDigest?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
  ownerId: Scalars['ID']['input'];
  type?: InputMaybe<Scalars['String']['input']>;
  value: Scalars['String']['input'];
};

export type MetafieldsSetUserErrorCode =
  | 'APP_NOT_AUTHORIZED'
  | 'BLANK'
  | 'CAPABILITY_VIOLATION'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_COMPARE_DIGEST'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'PRESENT'
  | 'STALE_OBJECT'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT';

export type MetaobjectAccessInput = {
  admin?: InputMaybe<MetaobjectAdminAccessInput>;
  customerAccount?: InputMaybe<MetaobjectCustomerAccountAccess>;
  storefront?: InputMaybe<MetaobjectStorefrontAccess>;
};

export type MetaobjectAdminAccess =
  | 'MERCHANT_READ'
  | 'MERCHANT_READ_WRITE'
  | 'PRIVATE'
  | 'PUBLIC_READ'
  | 'PUBLIC_READ_WRITE';

export type MetaobjectAdminAccessInput =
  | 'MERCHANT_READ'
  | 'MERCHANT_READ_WRITE';

export type MetaobjectBulkDeleteWhereCondition = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  type?: InputMaybe<Scalars['String']['input']>;
};

export type MetaobjectCapabilityCreateInput = {
  onlineStore?: InputMaybe<MetaobjectCapabilityOnlineStoreInput>;
  publishable?: InputMaybe<MetaobjectCapabilityPublishableInput>;
  renderable?: InputMaybe<MetaobjectCapabilityRenderableInput>;
  translatable?: InputMaybe<MetaobjectCapabilityTranslatableInput>;
};

export type MetaobjectCapabilityDataInput = {
  onlineStore?: InputMaybe<MetaobjectCapabilityDataOnlineStoreInput>;
  publishable?: InputMaybe<MetaobjectCapabilityDataPublishableInput>;
};

export type MetaobjectCapabilityDataOnlineStoreInput = {
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type MetaobjectCapabilityDataPublishableInput = {
  status: MetaobjectStatus;
};

export type MetaobjectCapabilityDefinitionDataOnlineStoreInput = {
  createRedirects?: InputMaybe<Scalars['Boolean']['input']>;
  urlHandle: Scalars['String']['input'];
};

export type MetaobjectCapabilityDefinitionDataRenderableInput = {
  metaDescriptionKey?: InputMaybe<Scalars['String']['input']>;
  metaTitleKey?: InputMaybe<Scalars['String']['input']>;
};

export type MetaobjectCapabilityOnlineStoreInput = {
  data?: InputMaybe<MetaobjectCapabilityDefinitionDataOnlineStoreInput>;
  enabled: Scalars['Boolean']['input'];
};

export type MetaobjectCapabilityPublishableInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetaobjectCapabilityRenderableInput = {
  data?: InputMaybe<MetaobjectCapabilityDefinitionDataRenderableInput>;
  enabled: Scalars['Boolean']['input'];
};

export type MetaobjectCapabilityTranslatableInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetaobjectCapabilityType =
  | 'ONLINE_STORE'
  | 'PUBLISHABLE'
  | 'RENDERABLE'
  | 'TRANSLATABLE';

export type MetaobjectCapabilityUpdateInput = {
  onlineStore?: InputMaybe<MetaobjectCapabilityOnlineStoreInput>;
  publishable?: InputMaybe<MetaobjectCapabilityPublishableInput>;
  renderable?: InputMaybe<MetaobjectCapabilityRenderableInput>;
  translatable?: InputMaybe<MetaobjectCapabilityTranslatableInput>;
};

export type MetaobjectCreateInput = {
  capabilities?: InputMaybe<MetaobjectCapabilityDataInput>;
  fields?: InputMaybe<Array<MetaobjectFieldInput>>;
  handle?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

export type MetaobjectCustomerAccountAccess =
  | 'NONE'
  | 'READ';

export type MetaobjectDefinitionCreateInput = {
  access?: InputMaybe<MetaobjectAccessInput>;
  capabilities?: InputMaybe<MetaobjectCapabilityCreateInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  displayNameKey?: InputMaybe<Scalars['String']['input']>;
  fieldDefinitions: Array<MetaobjectFieldDefinitionCreateInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

export type MetaobjectDefinitionUpdateInput = {
  access?: InputMaybe<MetaobjectAccessInput>;
  capabilities?: InputMaybe<MetaobjectCapabilityUpdateInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  displayNameKey?: InputMaybe<Scalars['String']['input']>;
  fieldDefinitions?: InputMaybe<Array<MetaobjectFieldDefinitionOperationInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  resetFieldOrder?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MetaobjectFieldCapabilityAdminFilterableInput = {
  enabled: Scalars['Boolean']['input'];
};

export type MetaobjectFieldDefinitionCapabilityCreateInput = {
  adminFilterable?: InputMaybe<MetaobjectFieldCapabilityAdminFilterableInput>;
};

export type MetaobjectFieldDefinitionCreateInput = {
  capabilities?: InputMaybe<MetaobjectFieldDefinitionCapabilityCreateInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  required?: InputMaybe<Scalars['Boolean']['input']>;
  type: Scalars['String']['input'];
  validations?: InputMaybe<Array<MetafieldDefinitionValidationInput>>;
};

export type MetaobjectFieldDefinitionDeleteInput = {
  key: Scalars['String']['input'];
};

export type MetaobjectFieldDefinitionOperationInput = {
  create?: InputMaybe<MetaobjectFieldDefinitionCreateInput>;
  delete?: InputMaybe<MetaobjectFieldDefinitionDeleteInput>;
  update?: InputMaybe<MetaobjectFieldDefinitionUpdateInput>;
};

export type MetaobjectFieldDefinitionUpdateInput = {
  capabilities?: InputMaybe<MetaobjectFieldDefinitionCapabilityCreateInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  required?: InputMaybe<Scalars['Boolean']['input']>;
  validations?: InputMaybe<Array<MetafieldDefinitionValidationInput>>;
};

export type MetaobjectFieldInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type MetaobjectHandleInput = {
  handle: Scalars['String']['input'];
  type: Scalars['String']['input'];
};

export type MetaobjectStatus =
  | 'ACTIVE'
  | 'DRAFT';

export type MetaobjectStorefrontAccess =
  | 'NONE'
  | 'PUBLIC_READ';

export type MetaobjectUpdateInput = {
  capabilities?: InputMaybe<MetaobjectCapabilityDataInput>;
  fields?: InputMaybe<Array<MetaobjectFieldInput>>;
  handle?: InputMaybe<Scalars['String']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MetaobjectUpsertInput = {
  capabilities?: InputMaybe<MetaobjectCapabilityDataInput>;
  fields?: InputMaybe<Array<MetaobjectFieldInput>>;
  handle?: InputMaybe<Scalars['String']['input']>;
};

export type MetaobjectUserErrorCode =
  | 'ADMIN_ACCESS_INPUT_NOT_ALLOWED'
  | 'APP_CONFIG_MANAGED'
  | 'BLANK'
  | 'CAPABILITY_NOT_ENABLED'
  | 'DISPLAY_NAME_CONFLICT'
  | 'DUPLICATE_FIELD_INPUT'
  | 'FIELD_TYPE_INVALID'
  | 'IMMUTABLE'
  | 'INCLUSION'
  | 'INPUT_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_OPTION'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'MAX_DEFINITIONS_EXCEEDED'
  | 'MAX_OBJECTS_EXCEEDED'
  | 'MISSING_REQUIRED_KEYS'
  | 'NOT_AUTHORIZED'
  | 'OBJECT_FIELD_REQUIRED'
  | 'OBJECT_FIELD_TAKEN'
  | 'PRESENT'
  | 'RECORD_NOT_FOUND'
  | 'REFERENCE_EXISTS_ERROR'
  | 'RESERVED_NAME'
  | 'STANDARD_METAOBJECT_DEFINITION_DEPENDENT_ON_APP'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNDEFINED_OBJECT_FIELD'
  | 'UNDEFINED_OBJECT_TYPE'
  | 'URL_HANDLE_BLANK'
  | 'URL_HANDLE_INVALID'
  | 'URL_HANDLE_TAKEN';

export type MethodDefinitionSortKeys =
  | 'ID'
  | 'RATE_PROVIDER_TYPE';

export type MobilePlatformApplicationCreateAndroidInput = {
  appLinksEnabled: Scalars['Boolean']['input'];
  applicationId?: InputMaybe<Scalars['String']['input']>;
  sha256CertFingerprints: Array<Scalars['String']['input']>;
};

export type MobilePlatformApplicationCreateAppleInput = {
  appClipApplicationId?: InputMaybe<Scalars['String']['input']>;
  appClipsEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  appId?: InputMaybe<Scalars['String']['input']>;
  sharedWebCredentialsEnabled: Scalars['Boolean']['input'];
  universalLinksEnabled: Scalars['Boolean']['input'];
};

export type MobilePlatformApplicationCreateInput = {
  android?: InputMaybe<MobilePlatformApplicationCreateAndroidInput>;
  apple?: InputMaybe<MobilePlatformApplicationCreateAppleInput>;
};

export type MobilePlatformApplicationUpdateAndroidInput = {
  appLinksEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  applicationId?: InputMaybe<Scalars['String']['input']>;
  sha256CertFingerprints?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type MobilePlatformApplicationUpdateAppleInput = {
  appClipApplicationId?: InputMaybe<Scalars['String']['input']>;
  appClipsEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  appId?: InputMaybe<Scalars['String']['input']>;
  sharedWebCredentialsEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  universalLinksEnabled?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MobilePlatformApplicationUpdateInput = {
  android?: InputMaybe<MobilePlatformApplicationUpdateAndroidInput>;
  apple?: InputMaybe<MobilePlatformApplicationUpdateAppleInput>;
};

export type MobilePlatformApplicationUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND'
  | 'TOO_LONG';

export type MoneyBagInput = {
  presentmentMoney?: InputMaybe<MoneyInput>;
  shopMoney: MoneyInput;
};

export type MoneyInput = {
  amount: Scalars['Decimal']['input'];
  currencyCode: CurrencyCode;
};

export type MoveInput = {
  id: Scalars['ID']['input'];
  newPosition: Scalars['UnsignedInt64']['input'];
};

export type NotificationUsage =
  | 'SMS'
  | 'WEB';

export type ObjectDimensionsInput = {
  height: Scalars['Float']['input'];
  length: Scalars['Float']['input'];
  unit: LengthUnit;
  width: Scalars['Float']['input'];
};

export type OnlineStoreThemeFileBodyInput = {
  type: OnlineStoreThemeFileBodyInputType;
  value: Scalars['String']['input'];
};

export type OnlineStoreThemeFileBodyInputType =
  | 'BASE64'
  | 'TEXT'
  | 'URL';

export type OnlineStoreThemeFileResultType =
  | 'BAD_REQUEST'
  | 'CONFLICT'
  | 'ERROR'
  | 'NOT_FOUND'
  | 'SUCCESS'
  | 'TIMEOUT'
  | 'UNPROCESSABLE_ENTITY';

export type OnlineStoreThemeFilesUpsertFileInput = {
  body: OnlineStoreThemeFileBodyInput;
  filename: Scalars['String']['input'];
};

export type OnlineStoreThemeFilesUserErrorsCode =
  | 'ACCESS_DENIED'
  | 'DUPLICATE_FILE_INPUT'
  | 'ERROR'
  | 'FILE_VALIDATION_ERROR'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'NOT_FOUND'
  | 'THEME_FILES_CONFLICT'
  | 'THEME_LIMITED_PLAN'
  | 'THROTTLED';

export type OnlineStoreThemeInput = {
  name?: InputMaybe<Scalars['String']['input']>;
};

export type OptionAndValueInput = {
  linkedMetafield?: InputMaybe<LinkedMetafieldInput>;
  name: Scalars['String']['input'];
  optionId?: InputMaybe<Scalars['ID']['input']>;
  values: Array<Scalars['String']['input']>;
};

export type OptionCreateInput = {
  linkedMetafield?: InputMaybe<LinkedMetafieldCreateInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  position?: InputMaybe<Scalars['Int']['input']>;
  values?: InputMaybe<Array<OptionValueCreateInput>>;
};

export type OptionReorderInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  values?: InputMaybe<Array<OptionValueReorderInput>>;
};

export type OptionSetInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  linkedMetafield?: InputMaybe<LinkedMetafieldCreateInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  position?: InputMaybe<Scalars['Int']['input']>;
  values?: InputMaybe<Array<OptionValueSetInput>>;
};

export type OptionUpdateInput = {
  id: Scalars['ID']['input'];
  linkedMetafield?: InputMaybe<LinkedMetafieldUpdateInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  position?: InputMaybe<Scalars['Int']['input']>;
};

export type OptionValueCreateInput = {
  linkedMetafieldValue?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type OptionValueReorderInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type OptionValueSetInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type OptionValueUpdateInput = {
  id: Scalars['ID']['input'];
  linkedMetafieldValue?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type OrderActionType =
  | 'ORDER'
  | 'ORDER_EDIT'
  | 'REFUND'
  | 'RETURN'
  | 'UNKNOWN';

export type OrderAdjustmentDiscrepancyReason =
  | 'CUSTOMER'
  | 'DAMAGE'
  | 'FULL_RETURN_BALANCING_ADJUSTMENT'
  | 'PENDING_REFUND_DISCREPANCY'
  | 'REFUND_DISCREPANCY'
  | 'RESTOCK';

export type OrderAdjustmentInputDiscrepancyReason =
  | 'CUSTOMER'
  | 'DAMAGE'
  | 'OTHER'
  | 'RESTOCK';

export type OrderCancelReason =
  | 'CUSTOMER'
  | 'DECLINED'
  | 'FRAUD'
  | 'INVENTORY'
  | 'OTHER'
  | 'STAFF';

export type OrderCancelRefundMethodInput = {
  originalPaymentMethodsRefund?: InputMaybe<Scalars['Boolean']['input']>;
  storeCreditRefund?: InputMaybe<OrderCancelStoreCreditRefundInput>;
};

export type OrderCancelStoreCreditRefundInput = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type OrderCancelUserErrorCode =
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'NO_REFUND_PERMISSION'
  | 'NO_REFUND_TO_STORE_CREDIT_PERMISSION'
  | 'STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED'
  | 'STORE_CREDIT_REFUND_EXPIRATION_IN_PAST'
  | 'STORE_CREDIT_REFUND_MISSING_CUSTOMER';

export type OrderCaptureInput = {
  amount: Scalars['Money']['input'];
  currency?: InputMaybe<CurrencyCode>;
  finalCapture?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
  parentTransactionId: Scalars['ID']['input'];
};

export type OrderCloseInput = {
  id: Scalars['ID']['input'];
};

export type OrderCreateAssociateCustomerAttributesInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderCreateCustomAttributeInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type OrderCreateCustomerAddressInput = {
  address1?: InputMaybe<Scalars['String']['input']>;
  address2?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  company?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  province?: InputMaybe<Scalars['String']['input']>;
  zip?: InputMaybe<Scalars['String']['input']>;
};

export type OrderCreateCustomerInput = {
  toAssociate?: InputMaybe<OrderCreateAssociateCustomerAttributesInput>;
  toUpsert?: InputMaybe<OrderCreateUpsertCustomerAttributesInput>;
};

export type OrderCreateDiscountCodeInput = {
  freeShippingDiscountCode?: InputMaybe<OrderCreateFreeShippingDiscountCodeAttributesInput>;
  itemFixedDiscountCode?: InputMaybe<OrderCreateFixedDiscountCodeAttributesInput>;
  itemPercentageDiscountCode?: InputMaybe<OrderCreatePercentageDiscountCodeAttributesInput>;
};

export type OrderCreateFinancialStatus =
  | 'AUTHORIZED'
  | 'EXPIRED'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type OrderCreateFixedDiscountCodeAttributesInput = {
  amountSet?: InputMaybe<MoneyBagInput>;
  code: Scalars['String']['input'];
};

export type OrderCreateFreeShippingDiscountCodeAttributesInput = {
  code: Scalars['String']['input'];
};

export type OrderCreateFulfillmentInput = {
  locationId: Scalars['ID']['input'];
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  originAddress?: InputMaybe<FulfillmentOriginAddressInput>;
  shipmentStatus?: InputMaybe<FulfillmentEventStatus>;
  trackingCompany?: InputMaybe<Scalars['String']['input']>;
  trackingNumber?: InputMaybe<Scalars['String']['input']>;
};

export type OrderCreateFulfillmentStatus =
  | 'FULFILLED'
  | 'PARTIAL'
  | 'RESTOCKED';

export type OrderCreateInputsInventoryBehavior =
  | 'BYPASS'
  | 'DECREMENT_IGNORING_POLICY'
  | 'DECREMENT_OBEYING_POLICY';

export type OrderCreateLineItemInput = {
  fulfillmentService?: InputMaybe<Scalars['String']['input']>;
  giftCard?: InputMaybe<Scalars['Boolean']['input']>;
  priceSet?: InputMaybe<MoneyBagInput>;
  productId?: InputMaybe<Scalars['ID']['input']>;
  properties?: InputMaybe<Array<OrderCreateLineItemPropertyInput>>;
  quantity: Scalars['Int']['input'];
  requiresShipping?: InputMaybe<Scalars['Boolean']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  taxLines?: InputMaybe<Array<OrderCreateTaxLineInput>>;
  taxable?: InputMaybe<Scalars['Boolean']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  variantId?: InputMaybe<Scalars['ID']['input']>;
  variantTitle?: InputMaybe<Scalars['String']['input']>;
  vendor?: InputMaybe<Scalars['String']['input']>;
  weight?: InputMaybe<WeightInput>;
};

export type OrderCreateLineItemPropertyInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type OrderCreateMandatePaymentUserErrorCode =
  | 'ORDER_MANDATE_PAYMENT_ERROR_CODE';

export type OrderCreateManualPaymentOrderCreateManualPaymentErrorCode =
  | 'AMOUNT_EXCEEDS_BALANCE'
  | 'AMOUNT_NOT_POSITIVE'
  | 'GATEWAY_NOT_FOUND'
  | 'ORDER_IS_TEMPORARILY_UNAVAILABLE'
  | 'ORDER_NOT_FOUND'
  | 'PROCESSED_AT_INVALID';

export type OrderCreateOptionsInput = {
  inventoryBehaviour?: InputMaybe<OrderCreateInputsInventoryBehavior>;
  sendFulfillmentReceipt?: InputMaybe<Scalars['Boolean']['input']>;
  sendReceipt?: InputMaybe<Scalars['Boolean']['input']>;
};

export type OrderCreateOrderInput = {
  billingAddress?: InputMaybe<MailingAddressInput>;
  buyerAcceptsMarketing?: InputMaybe<Scalars['Boolean']['input']>;
  closedAt?: InputMaybe<Scalars['DateTime']['input']>;
  companyLocationId?: InputMaybe<Scalars['ID']['input']>;
  currency?: InputMaybe<CurrencyCode>;
  customAttributes?: InputMaybe<Array<OrderCreateCustomAttributeInput>>;
  customer?: InputMaybe<OrderCreateCustomerInput>;
  discountCode?: InputMaybe<OrderCreateDiscountCodeInput>;
  email?: InputMaybe<Scalars['String']['input']>;
  financialStatus?: InputMaybe<OrderCreateFinancialStatus>;
  fulfillment?: InputMaybe<OrderCreateFulfillmentInput>;
  fulfillmentStatus?: InputMaybe<OrderCreateFulfillmentStatus>;
  lineItems?: InputMaybe<Array<OrderCreateLineItemInput>>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  poNumber?: InputMaybe<Scalars['String']['input']>;
  presentmentCurrency?: InputMaybe<CurrencyCode>;
  processedAt?: InputMaybe<Scalars['DateTime']['input']>;
  referringSite?: InputMaybe<Scalars['URL']['input']>;
  shippingAddress?: InputMaybe<MailingAddressInput>;
  shippingLines?: InputMaybe<Array<OrderCreateShippingLineInput>>;
  sourceIdentifier?: InputMaybe<Scalars['String']['input']>;
  sourceName?: InputMaybe<Scalars['String']['input']>;
  sourceUrl?: InputMaybe<Scalars['URL']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  taxLines?: InputMaybe<Array<OrderCreateTaxLineInput>>;
  taxesIncluded?: InputMaybe<Scalars['Boolean']['input']>;
  test?: InputMaybe<Scalars['Boolean']['input']>;
  transactions?: InputMaybe<Array<OrderCreateOrderTransactionInput>>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderCreateOrderTransactionInput = {
  amountSet: MoneyBagInput;
  authorizationCode?: InputMaybe<Scalars['String']['input']>;
  deviceId?: InputMaybe<Scalars['ID']['input']>;
  gateway?: InputMaybe<Scalars['String']['input']>;
  giftCardId?: InputMaybe<Scalars['ID']['input']>;
  kind?: InputMaybe<OrderTransactionKind>;
  locationId?: InputMaybe<Scalars['ID']['input']>;
  processedAt?: InputMaybe<Scalars['DateTime']['input']>;
  receiptJson?: InputMaybe<Scalars['JSON']['input']>;
  status?: InputMaybe<OrderTransactionStatus>;
  test?: InputMaybe<Scalars['Boolean']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderCreatePercentageDiscountCodeAttributesInput = {
  code: Scalars['String']['input'];
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type OrderCreateShippingLineInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  priceSet: MoneyBagInput;
  source?: InputMaybe<Scalars['String']['input']>;
  taxLines?: InputMaybe<Array<OrderCreateTaxLineInput>>;
  title: Scalars['String']['input'];
};

export type OrderCreateTaxLineInput = {
  channelLiable?: InputMaybe<Scalars['Boolean']['input']>;
  priceSet?: InputMaybe<MoneyBagInput>;
  rate: Scalars['Decimal']['input'];
  title: Scalars['String']['input'];
};

export type OrderCreateUpsertCustomerAttributesInput = {
  addresses?: InputMaybe<Array<OrderCreateCustomerAddressInput>>;
  email?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  multipassIdentifier?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  taxExempt?: InputMaybe<Scalars['Boolean']['input']>;
};

export type OrderCreateUserErrorCode =
  | 'FULFILLMENT_SERVICE_INVALID'
  | 'INVALID'
  | 'INVENTORY_CLAIM_FAILED'
  | 'PROCESSED_AT_INVALID'
  | 'REDUNDANT_CUSTOMER_FIELDS'
  | 'SHOP_DORMANT'
  | 'TAX_LINE_RATE_MISSING';

export type OrderCustomerRemoveUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND'
  | 'NOT_SAVED';

export type OrderCustomerSetUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND'
  | 'NOT_PERMITTED'
  | 'NOT_SAVED';

export type OrderDeleteUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND';

export type OrderDisplayFinancialStatus =
  | 'AUTHORIZED'
  | 'EXPIRED'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type OrderDisplayFulfillmentStatus =
  | 'FULFILLED'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'OPEN'
  | 'PARTIALLY_FULFILLED'
  | 'PENDING_FULFILLMENT'
  | 'REQUEST_DECLINED'
  | 'RESTOCKED'
  | 'SCHEDULED'
  | 'UNFULFILLED';

export type OrderEditAddShippingLineInput = {
  price: MoneyInput;
  title: Scalars['String']['input'];
};

export type OrderEditAddShippingLineUserErrorCode =
  | 'INVALID';

export type OrderEditAppliedDiscountInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  fixedValue?: InputMaybe<MoneyInput>;
  percentValue?: InputMaybe<Scalars['Float']['input']>;
};

export type OrderEditRemoveDiscountUserErrorCode =
  | 'INVALID';

export type OrderEditRemoveShippingLineUserErrorCode =
  | 'INVALID';

export type OrderEditUpdateDiscountUserErrorCode =
  | 'INVALID';

export type OrderEditUpdateShippingLineInput = {
  price?: InputMaybe<MoneyInput>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type OrderEditUpdateShippingLineUserErrorCode =
  | 'INVALID';

export type OrderIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderInput = {
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  email?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  localizedFields?: InputMaybe<Array<LocalizedFieldInput>>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  note?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  poNumber?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<MailingAddressInput>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type OrderInvoiceSendUserErrorCode =
  | 'ORDER_INVOICE_SEND_UNSUCCESSFUL';

export type OrderMarkAsPaidInput = {
  id: Scalars['ID']['input'];
};

export type OrderOpenInput = {
  id: Scalars['ID']['input'];
};

export type OrderPaymentStatusResult =
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'ERROR'
  | 'INITIATED'
  | 'PENDING'
  | 'PROCESSING'
  | 'PURCHASED'
  | 'REDIRECT_REQUIRED'
  | 'REFUNDED'
  | 'RETRYABLE'
  | 'SUCCESS'
  | 'UNKNOWN'
  | 'VOIDED';

export type OrderReturnStatus =
  | 'INSPECTION_COMPLETE'
  | 'IN_PROGRESS'
  | 'NO_RETURN'
  | 'RETURNED'
  | 'RETURN_FAILED'
  | 'RETURN_REQUESTED';

export type OrderRiskAssessmentCreateInput = {
  facts: Array<OrderRiskAssessmentFactInput>;
  orderId: Scalars['ID']['input'];
  riskLevel: RiskAssessmentResult;
};

export type OrderRiskAssessmentCreateUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND'
  | 'ORDER_ALREADY_FULFILLED'
  | 'TOO_MANY_FACTS';

export type OrderRiskAssessmentFactInput = {
  description: Scalars['String']['input'];
  sentiment: RiskFactSentiment;
};

export type OrderRiskLevel =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type OrderRiskRecommendationResult =
  | 'ACCEPT'
  | 'CANCEL'
  | 'INVESTIGATE'
  | 'NONE';

export type OrderSortKeys =
  | 'CREATED_AT'
  | 'CURRENT_TOTAL_PRICE'
  | 'CUSTOMER_NAME'
  | 'DESTINATION'
  | 'FINANCIAL_STATUS'
  | 'FULFILLMENT_STATUS'
  | 'ID'
  | 'ORDER_NUMBER'
  | 'PO_NUMBER'
  | 'PROCESSED_AT'
  | 'RELEVANCE'
  | 'TOTAL_ITEMS_QUANTITY'
  | 'TOTAL_PRICE'
  | 'UPDATED_AT';

export type OrderTransactionErrorCode =
  | 'AMAZON_PAYMENTS_INVALID_PAYMENT_METHOD'
  | 'AMAZON_PAYMENTS_MAX_AMOUNT_CHARGED'
  | 'AMAZON_PAYMENTS_MAX_AMOUNT_REFUNDED'
  | 'AMAZON_PAYMENTS_MAX_AUTHORIZATIONS_CAPTURED'
  | 'AMAZON_PAYMENTS_MAX_REFUNDS_PROCESSED'
  | 'AMAZON_PAYMENTS_ORDER_REFERENCE_CANCELED'
  | 'AMAZON_PAYMENTS_STALE'
  | 'CALL_ISSUER'
  | 'CARD_DECLINED'
  | 'CONFIG_ERROR'
  | 'EXPIRED_CARD'
  | 'GENERIC_ERROR'
  | 'INCORRECT_ADDRESS'
  | 'INCORRECT_CVC'
  | 'INCORRECT_NUMBER'
  | 'INCORRECT_PIN'
  | 'INCORRECT_ZIP'
  | 'INVALID_AMOUNT'
  | 'INVALID_COUNTRY'
  | 'INVALID_CVC'
  | 'INVALID_EXPIRY_DATE'
  | 'INVALID_NUMBER'
  | 'PAYMENT_METHOD_UNAVAILABLE'
  | 'PICK_UP_CARD'
  | 'PROCESSING_ERROR'
  | 'TEST_MODE_LIVE_CARD'
  | 'UNSUPPORTED_FEATURE';

export type OrderTransactionInput = {
  amount: Scalars['Money']['input'];
  gateway: Scalars['String']['input'];
  kind: OrderTransactionKind;
  orderId: Scalars['ID']['input'];
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderTransactionKind =
  | 'AUTHORIZATION'
  | 'CAPTURE'
  | 'CHANGE'
  | 'EMV_AUTHORIZATION'
  | 'REFUND'
  | 'SALE'
  | 'SUGGESTED_REFUND'
  | 'VOID';

export type OrderTransactionStatus =
  | 'AWAITING_RESPONSE'
  | 'ERROR'
  | 'FAILURE'
  | 'PENDING'
  | 'SUCCESS'
  | 'UNKNOWN';

export type PageCreateInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  isPublished?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type PageCreateUserErrorCode =
  | 'BLANK'
  | 'INVALID'
  | 'INVALID_PUBLISH_DATE'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'TAKEN'
  | 'TOO_BIG'
  | 'TOO_LONG';

export type PageDeleteUserErrorCode =
  | 'NOT_FOUND';

export type PageSortKeys =
  | 'ID'
  | 'PUBLISHED_AT'
  | 'TITLE'
  | 'UPDATED_AT';

export type PageUpdateInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  isPublished?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type PageUpdateUserErrorCode =
  | 'BLANK'
  | 'INVALID'
  | 'INVALID_PUBLISH_DATE'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'TAKEN'
  | 'TOO_BIG'
  | 'TOO_LONG';

export type PaymentCustomizationErrorCode =
  | 'CUSTOM_APP_FUNCTION_NOT_ELIGIBLE'
  | 'FUNCTION_DOES_NOT_IMPLEMENT'
  | 'FUNCTION_ID_CANNOT_BE_CHANGED'
  | 'FUNCTION_NOT_FOUND'
  | 'FUNCTION_PENDING_DELETION'
  | 'INVALID'
  | 'INVALID_METAFIELDS'
  | 'MAXIMUM_ACTIVE_PAYMENT_CUSTOMIZATIONS'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS'
  | 'PAYMENT_CUSTOMIZATION_FUNCTION_NOT_ELIGIBLE'
  | 'PAYMENT_CUSTOMIZATION_NOT_FOUND'
  | 'REQUIRED_INPUT_FIELD';

export type PaymentCustomizationInput = {
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  functionHandle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type PaymentMethods =
  | 'AMERICAN_EXPRESS'
  | 'BANCONTACT'
  | 'BITCOIN'
  | 'BOGUS'
  | 'CARTES_BANCAIRES'
  | 'DANKORT'
  | 'DINERS_CLUB'
  | 'DISCOVER'
  | 'DOGECOIN'
  | 'EFTPOS'
  | 'ELO'
  | 'FORBRUGSFORENINGEN'
  | 'INTERAC'
  | 'JCB'
  | 'LITECOIN'
  | 'MAESTRO'
  | 'MASTERCARD'
  | 'PAYPAL'
  | 'UNIONPAY'
  | 'VISA';

export type PaymentReminderSendUserErrorCode =
  | 'PAYMENT_REMINDER_SEND_UNSUCCESSFUL';

export type PaymentScheduleInput = {
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  issuedAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type PaymentTermsCreateInput = {
  paymentSchedules?: InputMaybe<Array<PaymentScheduleInput>>;
  paymentTermsTemplateId: Scalars['ID']['input'];
};

export type PaymentTermsCreateUserErrorCode =
  | 'PAYMENT_TERMS_CREATION_UNSUCCESSFUL';

export type PaymentTermsDeleteInput = {
  paymentTermsId: Scalars['ID']['input'];
};

export type PaymentTermsDeleteUserErrorCode =
  | 'PAYMENT_TERMS_DELETE_UNSUCCESSFUL';

export type PaymentTermsInput = {
  paymentSchedules?: InputMaybe<Array<PaymentScheduleInput>>;
  paymentTermsTemplateId?: InputMaybe<Scalars['ID']['input']>;
};

export type PaymentTermsType =
  | 'FIXED'
  | 'FULFILLMENT'
  | 'NET'
  | 'RECEIPT'
  | 'UNKNOWN';

export type PaymentTermsUpdateInput = {
  paymentTermsAttributes: PaymentTermsInput;
  paymentTermsId: Scalars['ID']['input'];
};

export type PaymentTermsUpdateUserErrorCode =
  | 'PAYMENT_TERMS_UPDATE_UNSUCCESSFUL';

export type PayoutSortKeys =
  | 'ADJUSTMENT_GROSS'
  | 'ADVANCE_GROSS'
  | 'AMOUNT'
  | 'CHARGE_GROSS'
  | 'DUTIES_GROSS'
  | 'FEE_AMOUNT'
  | 'ID'
  | 'ISSUED_AT'
  | 'REFUND_GROSS'
  | 'SHIPPING_LABEL_GROSS'
  | 'STATUS';

export type PaypalExpressSubscriptionsGatewayStatus =
  | 'DISABLED'
  | 'ENABLED'
  | 'PENDING';

export type PreparedFulfillmentOrderLineItemsInput = {
  fulfillmentOrderId: Scalars['ID']['input'];
};

export type PriceCalculationType =
  | 'COMPONENTS_SUM'
  | 'FIXED'
  | 'NONE';

export type PriceInput = {
  calculation?: InputMaybe<PriceCalculationType>;
  price?: InputMaybe<Scalars['Money']['input']>;
};

export type PriceListAdjustmentInput = {
  type: PriceListAdjustmentType;
  value: Scalars['Float']['input'];
};

export type PriceListAdjustmentSettingsInput = {
  compareAtMode?: PriceListCompareAtMode;
};

export type PriceListAdjustmentType =
  | 'PERCENTAGE_DECREASE'
  | 'PERCENTAGE_INCREASE';

export type PriceListCompareAtMode =
  | 'ADJUSTED'
  | 'NULLIFY';

export type PriceListCreateInput = {
  catalogId?: InputMaybe<Scalars['ID']['input']>;
  currency: CurrencyCode;
  name: Scalars['String']['input'];
  parent: PriceListParentCreateInput;
};

export type PriceListFixedPricesByProductBulkUpdateUserErrorCode =
  | 'DUPLICATE_ID_IN_INPUT'
  | 'ID_MUST_BE_MUTUALLY_EXCLUSIVE'
  | 'NO_UPDATE_OPERATIONS_SPECIFIED'
  | 'PRICES_TO_ADD_CURRENCY_MISMATCH'
  | 'PRICE_LIMIT_EXCEEDED'
  | 'PRICE_LIST_DOES_NOT_EXIST'
  | 'PRODUCT_DOES_NOT_EXIST';

export type PriceListParentCreateInput = {
  adjustment: PriceListAdjustmentInput;
  settings?: InputMaybe<PriceListAdjustmentSettingsInput>;
};

export type PriceListParentUpdateInput = {
  adjustment: PriceListAdjustmentInput;
  settings?: InputMaybe<PriceListAdjustmentSettingsInput>;
};

export type PriceListPriceInput = {
  compareAtPrice?: InputMaybe<MoneyInput>;
  price: MoneyInput;
  variantId: Scalars['ID']['input'];
};

export type PriceListPriceOriginType =
  | 'FIXED'
  | 'RELATIVE';

export type PriceListPriceUserErrorCode =
  | 'BLANK'
  | 'PRICE_LIST_CURRENCY_MISMATCH'
  | 'PRICE_LIST_NOT_FOUND'
  | 'PRICE_NOT_FIXED'
  | 'VARIANT_NOT_FOUND';

export type PriceListProductPriceInput = {
  compareAtPrice?: InputMaybe<MoneyInput>;
  price: MoneyInput;
  productId: Scalars['ID']['input'];
};

export type PriceListSortKeys =
  | 'ID'
  | 'NAME';

export type PriceListUpdateInput = {
  catalogId?: InputMaybe<Scalars['ID']['input']>;
  currency?: InputMaybe<CurrencyCode>;
  name?: InputMaybe<Scalars['String']['input']>;
  parent?: InputMaybe<PriceListParentUpdateInput>;
};

export type PriceListUserErrorCode =
  | 'BLANK'
  | 'CATALOG_CONTEXT_DOES_NOT_SUPPORT_QUANTITY_PRICE_BREAKS'
  | 'CATALOG_CONTEXT_DOES_NOT_SUPPORT_QUANTITY_RULES'
  | 'CATALOG_DOES_NOT_EXIST'
  | 'CATALOG_MARKET_AND_PRICE_LIST_CURRENCY_MISMATCH'
  | 'CATALOG_TAKEN'
  | 'CONTEXT_RULE_LIMIT_ONE_OPTION'
  | 'COUNTRY_PRICE_LIST_ASSIGNMENT'
  | 'CURRENCY_MARKET_MISMATCH'
  | 'CURRENCY_NOT_SUPPORTED'
  | 'GENERIC_ERROR'
  | 'INCLUSION'
  | 'INVALID_ADJUSTMENT_MAX_VALUE'
  | 'INVALID_ADJUSTMENT_MIN_VALUE'
  | 'INVALID_ADJUSTMENT_VALUE'
  | 'PRICE_LIST_LOCKED'
  | 'PRICE_LIST_NOT_ALLOWED_FOR_PRIMARY_MARKET'
  | 'PRICE_LIST_NOT_FOUND'
  | 'TAKEN'
  | 'TOO_LONG';

export type PriceRuleAllocationMethod =
  | 'ACROSS'
  | 'EACH';

export type PriceRuleFeature =
  | 'BULK'
  | 'BUY_ONE_GET_ONE'
  | 'BUY_ONE_GET_ONE_WITH_ALLOCATION_LIMIT'
  | 'QUANTITY_DISCOUNTS'
  | 'SPECIFIC_CUSTOMERS';

export type PriceRuleShareableUrlTargetType =
  | 'COLLECTION'
  | 'HOME'
  | 'PRODUCT';

export type PriceRuleStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'SCHEDULED';

export type PriceRuleTarget =
  | 'LINE_ITEM'
  | 'SHIPPING_LINE';

export type PriceRuleTrait =
  | 'BULK'
  | 'BUY_ONE_GET_ONE'
  | 'BUY_ONE_GET_ONE_WITH_ALLOCATION_LIMIT'
  | 'QUANTITY_DISCOUNTS'
  | 'SPECIFIC_CUSTOMERS';

export type PrivacyCountryCode =
  | 'AC'
  | 'AD'
  | 'AE'
  | 'AF'
  | 'AG'
  | 'AI'
  | 'AL'
  | 'AM'
  | 'AN'
  | 'AO'
  | 'AQ'
  | 'AR'
  | 'AS'
  | 'AT'
  | 'AU'
  | 'AW'
  | 'AX'
  | 'AZ'
  | 'BA'
  | 'BB'
  | 'BD'
  | 'BE'
  | 'BF'
  | 'BG'
  | 'BH'
  | 'BI'
  | 'BJ'
  | 'BL'
  | 'BM'
  | 'BN'
  | 'BO'
  | 'BQ'
  | 'BR'
  | 'BS'
  | 'BT'
  | 'BV'
  | 'BW'
  | 'BY'
  | 'BZ'
  | 'CA'
  | 'CC'
  | 'CD'
  | 'CF'
  | 'CG'
  | 'CH'
  | 'CI'
  | 'CK'
  | 'CL'
  | 'CM'
  | 'CN'
  | 'CO'
  | 'CR'
  | 'CU'
  | 'CV'
  | 'CW'
  | 'CX'
  | 'CY'
  | 'CZ'
  | 'DE'
  | 'DJ'
  | 'DK'
  | 'DM'
  | 'DO'
  | 'DZ'
  | 'EC'
  | 'EE'
  | 'EG'
  | 'EH'
  | 'ER'
  | 'ES'
  | 'ET'
  | 'FI'
  | 'FJ'
  | 'FK'
  | 'FM'
  | 'FO'
  | 'FR'
  | 'GA'
  | 'GB'
  | 'GD'
  | 'GE'
  | 'GF'
  | 'GG'
  | 'GH'
  | 'GI'
  | 'GL'
  | 'GM'
  | 'GN'
  | 'GP'
  | 'GQ'
  | 'GR'
  | 'GS'
  | 'GT'
  | 'GU'
  | 'GW'
  | 'GY'
  | 'HK'
  | 'HM'
  | 'HN'
  | 'HR'
  | 'HT'
  | 'HU'
  | 'ID'
  | 'IE'
  | 'IL'
  | 'IM'
  | 'IN'
  | 'IO'
  | 'IQ'
  | 'IR'
  | 'IS'
  | 'IT'
  | 'JE'
  | 'JM'
  | 'JO'
  | 'JP'
  | 'KE'
  | 'KG'
  | 'KH'
  | 'KI'
  | 'KM'
  | 'KN'
  | 'KP'
  | 'KR'
  | 'KW'
  | 'KY'
  | 'KZ'
  | 'LA'
  | 'LB'
  | 'LC'
  | 'LI'
  | 'LK'
  | 'LR'
  | 'LS'
  | 'LT'
  | 'LU'
  | 'LV'
  | 'LY'
  | 'MA'
  | 'MC'
  | 'MD'
  | 'ME'
  | 'MF'
  | 'MG'
  | 'MH'
  | 'MK'
  | 'ML'
  | 'MM'
  | 'MN'
  | 'MO'
  | 'MP'
  | 'MQ'
  | 'MR'
  | 'MS'
  | 'MT'
  | 'MU'
  | 'MV'
  | 'MW'
  | 'MX'
  | 'MY'
  | 'MZ'
  | 'NA'
  | 'NC'
  | 'NE'
  | 'NF'
  | 'NG'
  | 'NI'
  | 'NL'
  | 'NO'
  | 'NP'
  | 'NR'
  | 'NS'
  | 'NU'
  | 'NZ'
  | 'OM'
  | 'PA'
  | 'PE'
  | 'PF'
  | 'PG'
  | 'PH'
  | 'PK'
  | 'PL'
  | 'PM'
  | 'PN'
  | 'PR'
  | 'PS'
  | 'PT'
  | 'PW'
  | 'PY'
  | 'QA'
  | 'RE'
  | 'RO'
  | 'RS'
  | 'RU'
  | 'RW'
  | 'SA'
  | 'SB'
  | 'SC'
  | 'SD'
  | 'SE'
  | 'SG'
  | 'SH'
  | 'SI'
  | 'SJ'
  | 'SK'
  | 'SL'
  | 'SM'
  | 'SN'
  | 'SO'
  | 'SR'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'SX'
  | 'SY'
  | 'SZ'
  | 'TA'
  | 'TC'
  | 'TD'
  | 'TF'
  | 'TG'
  | 'TH'
  | 'TJ'
  | 'TK'
  | 'TL'
  | 'TM'
  | 'TN'
  | 'TO'
  | 'TR'
  | 'TT'
  | 'TV'
  | 'TW'
  | 'TZ'
  | 'UA'
  | 'UG'
  | 'UM'
  | 'US'
  | 'UY'
  | 'UZ'
  | 'VA'
  | 'VC'
  | 'VE'
  | 'VG'
  | 'VI'
  | 'VN'
  | 'VU'
  | 'WF'
  | 'WS'
  | 'XK'
  | 'XX'
  | 'YE'
  | 'YT'
  | 'ZA'
  | 'ZM'
  | 'ZW';

export type PrivacyFeaturesDisableUserErrorCode =
  | 'FAILED';

export type PrivacyFeaturesEnum =
  | 'COOKIE_BANNER'
  | 'DATA_SALE_OPT_OUT_PAGE'
  | 'PRIVACY_POLICY';

export type ProductBundleComponentInput = {
  optionSelections: Array<ProductBundleComponentOptionSelectionInput>;
  productId: Scalars['ID']['input'];
  quantity?: InputMaybe<Scalars['Int']['input']>;
  quantityOption?: InputMaybe<ProductBundleComponentQuantityOptionInput>;
};

export type ProductBundleComponentOptionSelectionInput = {
  componentOptionId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  values: Array<Scalars['String']['input']>;
};

export type ProductBundleComponentOptionSelectionStatus =
  | 'DESELECTED'
  | 'NEW'
  | 'SELECTED'
  | 'UNAVAILABLE';

export type ProductBundleComponentQuantityOptionInput = {
  name: Scalars['String']['input'];
  values: Array<ProductBundleComponentQuantityOptionValueInput>;
};

export type ProductBundleComponentQuantityOptionValueInput = {
  name: Scalars['String']['input'];
  quantity: Scalars['Int']['input'];
};

export type ProductBundleConsolidatedOptionComponentInput = {
  componentOptionId?: InputMaybe<Scalars['ID']['input']>;
  componentOptionValue: Scalars['String']['input'];
};

export type ProductBundleConsolidatedOptionInput = {
  optionName: Scalars['String']['input'];
  optionSelections: Array<ProductBundleConsolidatedOptionSelectionInput>;
};

export type ProductBundleConsolidatedOptionSelectionInput = {
  components: Array<ProductBundleConsolidatedOptionComponentInput>;
  optionValue: Scalars['String']['input'];
};

export type ProductBundleCreateInput = {
  components: Array<ProductBundleComponentInput>;
  consolidatedOptions?: InputMaybe<Array<ProductBundleConsolidatedOptionInput>>;
  title: Scalars['String']['input'];
};

export type ProductBundleMutationUserErrorCode =
  | 'GENERIC_ERROR'
  | 'INVALID_INPUT'
  | 'JOB_ERROR'
  | 'PRODUCT_DOES_NOT_EXIST';

export type ProductBundleUpdateInput = {
  components?: InputMaybe<Array<ProductBundleComponentInput>>;
  consolidatedOptions?: InputMaybe<Array<ProductBundleConsolidatedOptionInput>>;
  productId: Scalars['ID']['input'];
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ProductChangeStatusUserErrorCode =
  | 'COMBINED_LISTINGS_NOT_COMPATIBLE_WITH_SHOP'
  | 'PRODUCT_NOT_FOUND';

export type ProductClaimOwnershipInput = {
  bundles?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ProductCollectionSortKeys =
  | 'BEST_SELLING'
  | 'COLLECTION_DEFAULT'
  | 'CREATED'
  | 'ID'
  | 'MANUAL'
  | 'PRICE'
  | 'RELEVANCE'
  | 'TITLE';

export type ProductCreateInput = {
  category?: InputMaybe<Scalars['ID']['input']>;
  claimOwnership?: InputMaybe<ProductClaimOwnershipInput>;
  collectionsToJoin?: InputMaybe<Array<Scalars['ID']['input']>>;
  combinedListingRole?: InputMaybe<CombinedListingsRole>;
  descriptionHtml?: InputMaybe<Scalars['String']['input']>;
  giftCard?: InputMaybe<Scalars['Boolean']['input']>;
  giftCardTemplateSuffix?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  productOptions?: InputMaybe<Array<OptionCreateInput>>;
  productType?: InputMaybe<Scalars['String']['input']>;
  requiresSellingPlan?: InputMaybe<Scalars['Boolean']['input']>;
  seo?: InputMaybe<SeoInput>;
  status?: InputMaybe<ProductStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  vendor?: InputMaybe<Scalars['String']['input']>;
};

export type ProductDeleteInput = {
  id: Scalars['ID']['input'];
};

export type ProductFeedCreateUserErrorCode =
  | 'INVALID'
  | 'TAKEN';

export type ProductFeedDeleteUserErrorCode =
  | 'INVALID';

export type ProductFeedInput = {
  country: CountryCode;
  language: LanguageCode;
};

export type ProductFeedStatus =
  | 'ACTIVE'
  | 'INACTIVE';

export type ProductFullSyncUserErrorCode =
  | 'INVALID';

export type ProductIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type ProductImageSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'POSITION';

export type ProductInput = {
  category?: InputMaybe<Scalars['ID']['input']>;
  claimOwnership?: InputMaybe<ProductClaimOwnershipInput>;
  collectionsToJoin?: InputMaybe<Array<Scalars['ID']['input']>>;
  collectionsToLeave?: InputMaybe<Array<Scalars['ID']['input']>>;
  combinedListingRole?: InputMaybe<CombinedListingsRole>;
  descriptionHtml?: InputMaybe<Scalars['String']['input']>;
  giftCard?: InputMaybe<Scalars['Boolean']['input']>;
  giftCardTemplateSuffix?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  productOptions?: InputMaybe<Array<OptionCreateInput>>;
  productType?: InputMaybe<Scalars['String']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  requiresSellingPlan?: InputMaybe<Scalars['Boolean']['input']>;
  seo?: InputMaybe<SeoInput>;
  status?: InputMaybe<ProductStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  vendor?: InputMaybe<Scalars['String']['input']>;
};

export type ProductMediaSortKeys =
  | 'ID'
  | 'POSITION';

export type ProductOperationStatus =
  | 'ACTIVE'
  | 'COMPLETE'
  | 'CREATED';

export type ProductOptionCreateVariantStrategy =
  | 'CREATE'
  | 'LEAVE_AS_IS';

export type ProductOptionDeleteStrategy =
  | 'DEFAULT'
  | 'NON_DESTRUCTIVE'
  | 'POSITION';

export type ProductOptionUpdateUserErrorCode =
  | 'CANNOT_COMBINE_LINKED_AND_NONLINKED_OPTION_VALUES'
  | 'CANNOT_CREATE_VARIANTS_ABOVE_LIMIT'
  | 'CANNOT_DELETE_ALL_OPTION_VALUES_IN_OPTION'
  | 'CANNOT_DELETE_VARIANT_WITHOUT_PERMISSION'
  | 'CANNOT_LEAVE_OPTIONS_WITHOUT_VARIANTS'
  | 'CANNOT_MAKE_CHANGES_IF_VARIANT_IS_MISSING_REQUIRED_SKU'
  | 'DUPLICATED_OPTION_VALUE'
  | 'DUPLICATE_LINKED_OPTION'
  | 'INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION'
  | 'INVALID_NAME'
  | 'INVALID_POSITION'
  | 'KEY_MISSING_IN_INPUT'
  | 'LINKED_METAFIELD_DEFINITION_NOT_FOUND'
  | 'LINKED_OPTIONS_NOT_SUPPORTED_FOR_SHOP'
  | 'LINKED_OPTION_UPDATE_MISSING_VALUES'
  | 'NO_KEY_ON_CREATE'
  | 'OPTION_ALREADY_EXISTS'
  | 'OPTION_DOES_NOT_EXIST'
  | 'OPTION_LINKED_METAFIELD_ALREADY_TAKEN'
  | 'OPTION_NAME_TOO_LONG'
  | 'OPTION_VALUES_OVER_LIMIT'
  | 'OPTION_VALUE_ALREADY_EXISTS'
  | 'OPTION_VALUE_CONFLICTING_OPERATION'
  | 'OPTION_VALUE_DOES_NOT_EXIST'
  | 'OPTION_VALUE_HAS_VARIANTS'
  | 'OPTION_VALUE_NAME_TOO_LONG'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'TOO_MANY_VARIANTS_CREATED'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION';

export type ProductOptionUpdateVariantStrategy =
  | 'LEAVE_AS_IS'
  | 'MANAGE';

export type ProductOptionsCreateUserErrorCode =
  | 'CANNOT_COMBINE_LINKED_METAFIELD_AND_OPTION_VALUES'
  | 'CANNOT_MAKE_CHANGES_IF_VARIANT_IS_MISSING_REQUIRED_SKU'
  | 'DUPLICATED_OPTION_NAME'
  | 'DUPLICATED_OPTION_VALUE'
  | 'DUPLICATE_LINKED_OPTION'
  | 'INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION'
  | 'INVALID_NAME'
  | 'LINKED_METAFIELD_DEFINITION_NOT_FOUND'
  | 'LINKED_METAFIELD_VALUE_WITHOUT_LINKED_OPTION'
  | 'LINKED_OPTIONS_NOT_SUPPORTED_FOR_SHOP'
  | 'MISSING_METAFIELD_VALUES_FOR_LINKED_OPTION'
  | 'NEW_OPTION_WITHOUT_VALUE_FOR_EXISTING_VARIANTS'
  | 'OPTIONS_OVER_LIMIT'
  | 'OPTION_ALREADY_EXISTS'
  | 'OPTION_LINKED_METAFIELD_ALREADY_TAKEN'
  | 'OPTION_NAME_MISSING'
  | 'OPTION_NAME_TOO_LONG'
  | 'OPTION_POSITION_MISSING'
  | 'OPTION_VALUES_MISSING'
  | 'OPTION_VALUES_OVER_LIMIT'
  | 'OPTION_VALUE_NAME_TOO_LONG'
  | 'POSITION_OUT_OF_BOUNDS'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'TOO_MANY_VARIANTS_CREATED'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION';

export type ProductOptionsDeleteUserErrorCode =
  | 'CANNOT_DELETE_OPTION_WITH_MULTIPLE_VALUES'
  | 'CANNOT_DELETE_VARIANT_WITHOUT_PERMISSION'
  | 'CANNOT_MAKE_CHANGES_IF_VARIANT_IS_MISSING_REQUIRED_SKU'
  | 'CANNOT_USE_NON_DESTRUCTIVE_STRATEGY'
  | 'OPTIONS_DO_NOT_BELONG_TO_THE_SAME_PRODUCT'
  | 'OPTION_DOES_NOT_EXIST'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION';

export type ProductOptionsReorderUserErrorCode =
  | 'CANNOT_MAKE_CHANGES_IF_VARIANT_IS_MISSING_REQUIRED_SKU'
  | 'DUPLICATED_OPTION_NAME'
  | 'DUPLICATED_OPTION_VALUE'
  | 'MISSING_OPTION_NAME'
  | 'MISSING_OPTION_VALUE'
  | 'MIXING_ID_AND_NAME_KEYS_IS_NOT_ALLOWED'
  | 'NO_KEY_ON_REORDER'
  | 'OPTION_ID_DOES_NOT_EXIST'
  | 'OPTION_NAME_DOES_NOT_EXIST'
  | 'OPTION_VALUE_DOES_NOT_EXIST'
  | 'OPTION_VALUE_ID_DOES_NOT_EXIST'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED';

export type ProductPublicationInput = {
  publicationId?: InputMaybe<Scalars['ID']['input']>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
};

export type ProductPublishInput = {
  id: Scalars['ID']['input'];
  productPublications: Array<ProductPublicationInput>;
};

export type ProductResourceFeedbackInput = {
  feedbackGeneratedAt: Scalars['DateTime']['input'];
  messages?: InputMaybe<Array<Scalars['String']['input']>>;
  productId: Scalars['ID']['input'];
  productUpdatedAt: Scalars['DateTime']['input'];
  state: ResourceFeedbackState;
};

export type ProductSetIdentifiers = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type ProductSetInput = {
  category?: InputMaybe<Scalars['ID']['input']>;
  claimOwnership?: InputMaybe<ProductClaimOwnershipInput>;
  collections?: InputMaybe<Array<Scalars['ID']['input']>>;
  combinedListingRole?: InputMaybe<CombinedListingsRole>;
  descriptionHtml?: InputMaybe<Scalars['String']['input']>;
  files?: InputMaybe<Array<FileSetInput>>;
  giftCard?: InputMaybe<Scalars['Boolean']['input']>;
  giftCardTemplateSuffix?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  productOptions?: InputMaybe<Array<OptionSetInput>>;
  productType?: InputMaybe<Scalars['String']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  requiresSellingPlan?: InputMaybe<Scalars['Boolean']['input']>;
  seo?: InputMaybe<SeoInput>;
  status?: InputMaybe<ProductStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  variants?: InputMaybe<Array<ProductVariantSetInput>>;
  vendor?: InputMaybe<Scalars['String']['input']>;
};

export type ProductSetInventoryInput = {
  locationId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  quantity: Scalars['Int']['input'];
};

export type ProductSetUserErrorCode =
  | 'CANNOT_COMBINE_LINKED_AND_NONLINKED_OPTION_VALUES'
  | 'CAPABILITY_VIOLATION'
  | 'DUPLICATED_METAFIELD_VALUE'
  | 'DUPLICATED_OPTION_NAME'
  | 'DUPLICATED_OPTION_VALUE'
  | 'DUPLICATED_VALUE'
  | 'DUPLICATE_LINKED_OPTION'
  | 'GENERIC_ERROR'
  | 'GIFT_CARDS_NOT_ACTIVATED'
  | 'GIFT_CARD_ATTRIBUTE_CANNOT_BE_CHANGED'
  | 'HANDLE_NOT_UNIQUE'
  | 'ID_NOT_ALLOWED'
  | 'INPUT_MISMATCH'
  | 'INVALID_INPUT'
  | 'INVALID_METAFIELD'
  | 'INVALID_METAFIELD_VALUE_FOR_LINKED_OPTION'
  | 'INVALID_PRODUCT'
  | 'INVALID_VARIANT'
  | 'INVENTORY_QUANTITIES_LIMIT_EXCEEDED'
  | 'JOB_ERROR'
  | 'LINKED_METAFIELD_DEFINITION_NOT_FOUND'
  | 'LINKED_OPTIONS_NOT_SUPPORTED_FOR_SHOP'
  | 'METAFIELD_MISMATCH'
  | 'MISSING_FIELD_REQUIRED'
  | 'NOT_FOUND'
  | 'OPTIONS_OVER_LIMIT'
  | 'OPTION_DOES_NOT_EXIST'
  | 'OPTION_VALUES_MISSING'
  | 'OPTION_VALUES_OVER_LIMIT'
  | 'OPTION_VALUE_DOES_NOT_EXIST'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_OPTIONS_INPUT_MISSING'
  | 'PRODUCT_SUSPENDED'
  | 'PRODUCT_VARIANT_DOES_NOT_EXIST'
  | 'VARIANTS_INPUT_MISSING'
  | 'VARIANTS_OVER_LIMIT';

export type ProductSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'INVENTORY_TOTAL'
  | 'PRODUCT_TYPE'
  | 'PUBLISHED_AT'
  | 'RELEVANCE'
  | 'TITLE'
  | 'UPDATED_AT'
  | 'VENDOR';

export type ProductStatus =
  | 'ACTIVE'
  | 'ARCHIVED'
  | 'DRAFT'
  | 'UNLISTED';

export type ProductUnpublishInput = {
  id: Scalars['ID']['input'];
  productPublications: Array<ProductPublicationInput>;
};

export type ProductUpdateInput = {
  category?: InputMaybe<Scalars['ID']['input']>;
  collectionsToJoin?: InputMaybe<Array<Scalars['ID']['input']>>;
  collectionsToLeave?: InputMaybe<Array<Scalars['ID']['input']>>;
  deleteConflictingConstrainedMetafields?: InputMaybe<Scalars['Boolean']['input']>;
  descriptionHtml?: InputMaybe<Scalars['String']['input']>;
  giftCardTemplateSuffix?: InputMaybe<Scalars['String']['input']>;
  handle?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  productType?: InputMaybe<Scalars['String']['input']>;
  redirectNewHandle?: InputMaybe<Scalars['Boolean']['input']>;
  requiresSellingPlan?: InputMaybe<Scalars['Boolean']['input']>;
  seo?: InputMaybe<SeoInput>;
  status?: InputMaybe<ProductStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  templateSuffix?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  vendor?: InputMaybe<Scalars['String']['input']>;
};

export type ProductVariantAppendMediaInput = {
  mediaIds: Array<Scalars['ID']['input']>;
  variantId: Scalars['ID']['input'];
};

export type ProductVariantDetachMediaInput = {
  mediaIds: Array<Scalars['ID']['input']>;
  variantId: Scalars['ID']['input'];
};

export type ProductVariantGroupRelationshipInput = {
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type ProductVariantIdentifierInput = {
  customId?: InputMaybe<UniqueMetafieldValueInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type ProductVariantInventoryPolicy =
  | 'CONTINUE'
  | 'DENY';

export type ProductVariantPositionInput = {
  id: Scalars['ID']['input'];
  position: Scalars['Int']['input'];
};

export type ProductVariantRelationshipBulkUpdateUserErrorCode =
  | 'CHILD_PRODUCT_VARIANT_CANNOT_BE_COMBINED_LISTING'
  | 'CIRCULAR_REFERENCE'
  | 'DUPLICATE_PRODUCT_VARIANT_RELATIONSHIP'
  | 'EXCEEDED_PRODUCT_VARIANT_RELATIONSHIP_LIMIT'
  | 'FAILED_TO_CREATE'
  | 'FAILED_TO_REMOVE'
  | 'FAILED_TO_UPDATE'
  | 'FAILED_TO_UPDATE_PARENT_PRODUCT_VARIANT_PRICE'
  | 'INVALID_QUANTITY'
  | 'MUST_SPECIFY_COMPONENTS'
  | 'NESTED_PARENT_PRODUCT_VARIANT'
  | 'PARENT_PRODUCT_VARIANT_CANNOT_BE_COMBINED_LISTING'
  | 'PARENT_PRODUCT_VARIANT_CANNOT_BE_GIFT_CARD'
  | 'PARENT_PRODUCT_VARIANT_CANNOT_REQUIRE_SELLING_PLAN'
  | 'PARENT_REQUIRED'
  | 'PRODUCT_EXPANDER_APP_OWNERSHIP_ALREADY_EXISTS'
  | 'PRODUCT_VARIANTS_NOT_COMPONENTS'
  | 'PRODUCT_VARIANTS_NOT_FOUND'
  | 'PRODUCT_VARIANT_RELATIONSHIP_TYPE_CONFLICT'
  | 'UNEXPECTED_ERROR'
  | 'UNSUPPORTED_MULTIPACK_RELATIONSHIP'
  | 'UPDATE_PARENT_VARIANT_PRICE_REQUIRED';

export type ProductVariantRelationshipUpdateInput = {
  parentProductId?: InputMaybe<Scalars['ID']['input']>;
  parentProductVariantId?: InputMaybe<Scalars['ID']['input']>;
  priceInput?: InputMaybe<PriceInput>;
  productVariantRelationshipsToCreate?: InputMaybe<Array<ProductVariantGroupRelationshipInput>>;
  productVariantRelationshipsToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
  productVariantRelationshipsToUpdate?: InputMaybe<Array<ProductVariantGroupRelationshipInput>>;
  removeAllProductVariantRelationships?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ProductVariantSetInput = {
  barcode?: InputMaybe<Scalars['String']['input']>;
  compareAtPrice?: InputMaybe<Scalars['Money']['input']>;
  file?: InputMaybe<FileSetInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
  inventoryItem?: InputMaybe<InventoryItemInput>;
  inventoryPolicy?: InputMaybe<ProductVariantInventoryPolicy>;
  inventoryQuantities?: InputMaybe<Array<ProductSetInventoryInput>>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  optionValues: Array<VariantOptionValueInput>;
  position?: InputMaybe<Scalars['Int']['input']>;
  price?: InputMaybe<Scalars['Money']['input']>;
  requiresComponents?: InputMaybe<Scalars['Boolean']['input']>;
  showUnitPrice?: InputMaybe<Scalars['Boolean']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  taxCode?: InputMaybe<Scalars['String']['input']>;
  taxable?: InputMaybe<Scalars['Boolean']['input']>;
  unitPriceMeasurement?: InputMaybe<UnitPriceMeasurementInput>;
};

export type ProductVariantSortKeys =
  | 'FULL_TITLE'
  | 'ID'
  | 'INVENTORY_LEVELS_AVAILABLE'
  | 'INVENTORY_MANAGEMENT'
  | 'INVENTORY_POLICY'
  | 'INVENTORY_QUANTITY'
  | 'NAME'
  | 'POPULAR'
  | 'POSITION'
  | 'RELEVANCE'
  | 'SKU'
  | 'TITLE';

export type ProductVariantsBulkCreateStrategy =
  | 'DEFAULT'
  | 'PRESERVE_STANDALONE_VARIANT'
  | 'REMOVE_STANDALONE_VARIANT';

export type ProductVariantsBulkCreateUserErrorCode =
  | 'CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'INVALID'
  | 'INVALID_INPUT'
  | 'INVENTORY_QUANTITIES_LIMIT_EXCEEDED'
  | 'MUST_BE_FOR_THIS_PRODUCT'
  | 'NEED_TO_ADD_OPTION_VALUES'
  | 'NEGATIVE_PRICE_VALUE'
  | 'NOT_DEFINED_FOR_SHOP'
  | 'NO_KEY_ON_CREATE'
  | 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'SUBSCRIPTION_VIOLATION'
  | 'TOO_MANY_INVENTORY_LOCATIONS'
  | 'TRACKED_VARIANT_LOCATION_NOT_FOUND'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION'
  | 'VARIANT_ALREADY_EXISTS'
  | 'VARIANT_ALREADY_EXISTS_CHANGE_OPTION_VALUE';

export type ProductVariantsBulkDeleteUserErrorCode =
  | 'AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT'
  | 'CANNOT_DELETE_LAST_VARIANT'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION';

export type ProductVariantsBulkInput = {
  barcode?: InputMaybe<Scalars['String']['input']>;
  compareAtPrice?: InputMaybe<Scalars['Money']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  inventoryItem?: InputMaybe<InventoryItemInput>;
  inventoryPolicy?: InputMaybe<ProductVariantInventoryPolicy>;
  inventoryQuantities?: InputMaybe<Array<InventoryLevelInput>>;
  mediaId?: InputMaybe<Scalars['ID']['input']>;
  mediaSrc?: InputMaybe<Array<Scalars['String']['input']>>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  optionValues?: InputMaybe<Array<VariantOptionValueInput>>;
  price?: InputMaybe<Scalars['Money']['input']>;
  quantityAdjustments?: InputMaybe<Array<InventoryAdjustmentInput>>;
  requiresComponents?: InputMaybe<Scalars['Boolean']['input']>;
  showUnitPrice?: InputMaybe<Scalars['Boolean']['input']>;
  taxCode?: InputMaybe<Scalars['String']['input']>;
  taxable?: InputMaybe<Scalars['Boolean']['input']>;
  unitPriceMeasurement?: InputMaybe<UnitPriceMeasurementInput>;
};

export type ProductVariantsBulkReorderUserErrorCode =
  | 'DUPLICATED_VARIANT_ID'
  | 'GENERIC_ERROR'
  | 'INVALID_POSITION'
  | 'MISSING_VARIANT'
  | 'PRODUCT_DOES_NOT_EXIST';

export type ProductVariantsBulkUpdateUserErrorCode =
  | 'BLANK'
  | 'CANNOT_SET_NAME_FOR_LINKED_OPTION_VALUE'
  | 'CANNOT_SPECIFY_BOTH'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'INVALID_INPUT'
  | 'INVALID_VALUE'
  | 'INVENTORY_QUANTITIES_LIMIT_EXCEEDED'
  | 'MUST_BE_FOR_THIS_PRODUCT'
  | 'MUST_SPECIFY_ONE_OF_PAIR'
  | 'NEED_TO_ADD_OPTION_VALUES'
  | 'NEGATIVE_PRICE_VALUE'
  | 'NOT_DEFINED_FOR_SHOP'
  | 'NO_INVENTORY_QUANTITES_DURING_UPDATE'
  | 'NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE'
  | 'OPTION_DOES_NOT_EXIST'
  | 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS'
  | 'OPTION_VALUE_DOES_NOT_EXIST'
  | 'OPTION_VALUE_NAME_TOO_LONG'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_SUSPENDED'
  | 'PRODUCT_VARIANT_DOES_NOT_EXIST'
  | 'PRODUCT_VARIANT_ID_MISSING'
  | 'SUBSCRIPTION_VIOLATION'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNSUPPORTED_COMBINED_LISTING_PARENT_OPERATION'
  | 'VARIANT_ALREADY_EXISTS';

export type ProfileItemSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'INVENTORY_TOTAL'
  | 'PRODUCT_TYPE'
  | 'PUBLISHED_AT'
  | 'RELEVANCE'
  | 'TITLE'
  | 'UPDATED_AT'
  | 'VENDOR';

export type PubSubWebhookSubscriptionCreateUserErrorCode =
  | 'INVALID_PARAMETERS'
  | 'TAKEN';

export type PubSubWebhookSubscriptionInput = {
  filter?: InputMaybe<Scalars['String']['input']>;
  format?: InputMaybe<WebhookSubscriptionFormat>;
  includeFields?: InputMaybe<Array<Scalars['String']['input']>>;
  metafieldNamespaces?: InputMaybe<Array<Scalars['String']['input']>>;
  metafields?: InputMaybe<Array<HasMetafieldsMetafieldIdentifierInput>>;
  pubSubProject: Scalars['String']['input'];
  pubSubTopic: Scalars['String']['input'];
};

export type PubSubWebhookSubscriptionUpdateUserErrorCode =
  | 'INVALID_PARAMETERS'
  | 'TAKEN';

export type PublicationCreateInput = {
  autoPublish?: InputMaybe<Scalars['Boolean']['input']>;
  catalogId?: InputMaybe<Scalars['ID']['input']>;
  defaultState?: InputMaybe<PublicationCreateInputPublicationDefaultState>;
};

export type PublicationCreateInputPublicationDefaultState =
  | 'ALL_PRODUCTS'
  | 'EMPTY';

export type PublicationInput = {
  publicationId?: InputMaybe<Scalars['ID']['input']>;
  publishDate?: InputMaybe<Scalars['DateTime']['input']>;
};

export type PublicationUpdateInput = {
  autoPublish?: InputMaybe<Scalars['Boolean']['input']>;
  publishablesToAdd?: InputMaybe<Array<Scalars['ID']['input']>>;
  publishablesToRemove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type PublicationUserErrorCode =
  | 'BLANK'
  | 'CANNOT_MODIFY_APP_CATALOG'
  | 'CANNOT_MODIFY_APP_CATALOG_PUBLICATION'
  | 'CANNOT_MODIFY_MARKET_CATALOG'
  | 'CANNOT_MODIFY_MARKET_CATALOG_PUBLICATION'
  | 'CATALOG_NOT_FOUND'
  | 'INVALID'
  | 'INVALID_PUBLISHABLE_ID'
  | 'MARKET_NOT_FOUND'
  | 'PRODUCT_TYPE_INCOMPATIBLE_WITH_CATALOG_TYPE'
  | 'PUBLICATION_LOCKED'
  | 'PUBLICATION_NOT_FOUND'
  | 'PUBLICATION_UPDATE_LIMIT_EXCEEDED'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNSUPPORTED_PUBLICATION_ACTION'
  | 'UNSUPPORTED_PUBLISHABLE_TYPE';

export type PurchasingCompanyInput = {
  companyContactId: Scalars['ID']['input'];
  companyId: Scalars['ID']['input'];
  companyLocationId: Scalars['ID']['input'];
};

export type PurchasingEntityInput = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  purchasingCompany?: InputMaybe<PurchasingCompanyInput>;
};

export type QuantityPriceBreakInput = {
  minimumQuantity: Scalars['Int']['input'];
  price: MoneyInput;
  variantId: Scalars['ID']['input'];
};

export type QuantityPriceBreakSortKeys =
  | 'ID'
  | 'MINIMUM_QUANTITY';

export type QuantityPricingByVariantUpdateInput = {
  pricesToAdd: Array<PriceListPriceInput>;
  pricesToDeleteByVariantId: Array<Scalars['ID']['input']>;
  quantityPriceBreaksToAdd: Array<QuantityPriceBreakInput>;
  quantityPriceBreaksToDelete: Array<Scalars['ID']['input']>;
  quantityPriceBreaksToDeleteByVariantId?: InputMaybe<Array<Scalars['ID']['input']>>;
  quantityRulesToAdd: Array<QuantityRuleInput>;
  quantityRulesToDeleteByVariantId: Array<Scalars['ID']['input']>;
};

export type QuantityPricingByVariantUserErrorCode =
  | 'BLANK'
  | 'GENERIC_ERROR'
  | 'PRICE_ADD_CURRENCY_MISMATCH'
  | 'PRICE_ADD_DUPLICATE_INPUT_FOR_VARIANT'
  | 'PRICE_ADD_VARIANT_NOT_FOUND'
  | 'PRICE_DELETE_PRICE_NOT_FIXED'
  | 'PRICE_DELETE_VARIANT_NOT_FOUND'
  | 'PRICE_LIST_NOT_FOUND'
  | 'QUANTITY_PRICE_BREAK_ADD_CURRENCY_MISMATCH'
  | 'QUANTITY_PRICE_BREAK_ADD_DUPLICATE_INPUT_FOR_VARIANT_AND_MIN'
  | 'QUANTITY_PRICE_BREAK_ADD_FAILED_TO_SAVE'
  | 'QUANTITY_PRICE_BREAK_ADD_INVALID'
  | 'QUANTITY_PRICE_BREAK_ADD_LIMIT_EXCEEDED'
  | 'QUANTITY_PRICE_BREAK_ADD_MIN_HIGHER_THAN_QUANTITY_RULES_MAX'
  | 'QUANTITY_PRICE_BREAK_ADD_MIN_LOWER_THAN_QUANTITY_RULES_MIN'
  | 'QUANTITY_PRICE_BREAK_ADD_MIN_NOT_A_MULTIPLE_OF_QUANTITY_RULES_INCREMENT'
  | 'QUANTITY_PRICE_BREAK_ADD_PRICE_LIST_PRICE_NOT_FOUND'
  | 'QUANTITY_PRICE_BREAK_ADD_VARIANT_NOT_FOUND'
  | 'QUANTITY_PRICE_BREAK_DELETE_BY_VARIANT_ID_VARIANT_NOT_FOUND'
  | 'QUANTITY_PRICE_BREAK_DELETE_FAILED'
  | 'QUANTITY_PRICE_BREAK_DELETE_NOT_FOUND'
  | 'QUANTITY_RULE_ADD_CATALOG_CONTEXT_NOT_SUPPORTED'
  | 'QUANTITY_RULE_ADD_DUPLICATE_INPUT_FOR_VARIANT'
  | 'QUANTITY_RULE_ADD_INCREMENT_IS_GREATER_THAN_MINIMUM'
  | 'QUANTITY_RULE_ADD_INCREMENT_IS_LESS_THAN_ONE'
  | 'QUANTITY_RULE_ADD_INCREMENT_NOT_A_MULTIPLE_OF_QUANTITY_PRICE_BREAK_MIN'
  | 'QUANTITY_RULE_ADD_MAXIMUM_IS_LESS_THAN_ONE'
  | 'QUANTITY_RULE_ADD_MAXIMUM_NOT_A_MULTIPLE_OF_INCREMENT'
  | 'QUANTITY_RULE_ADD_MAX_LOWER_THAN_QUANTITY_PRICE_BREAK_MIN'
  | 'QUANTITY_RULE_ADD_MINIMUM_GREATER_THAN_MAXIMUM'
  | 'QUANTITY_RULE_ADD_MINIMUM_IS_LESS_THAN_ONE'
  | 'QUANTITY_RULE_ADD_MINIMUM_NOT_A_MULTIPLE_OF_INCREMENT'
  | 'QUANTITY_RULE_ADD_MIN_HIGHER_THAN_QUANTITY_PRICE_BREAK_MIN'
  | 'QUANTITY_RULE_ADD_VARIANT_NOT_FOUND'
  | 'QUANTITY_RULE_DELETE_RULE_NOT_FOUND'
  | 'QUANTITY_RULE_DELETE_VARIANT_NOT_FOUND';

export type QuantityRuleInput = {
  increment: Scalars['Int']['input'];
  maximum?: InputMaybe<Scalars['Int']['input']>;
  minimum: Scalars['Int']['input'];
  variantId: Scalars['ID']['input'];
};

export type QuantityRuleOriginType =
  | 'FIXED'
  | 'RELATIVE';

export type QuantityRuleUserErrorCode =
  | 'BLANK'
  | 'CATALOG_CONTEXT_DOES_NOT_SUPPORT_QUANTITY_RULES'
  | 'DUPLICATE_INPUT_FOR_VARIANT'
  | 'GENERIC_ERROR'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'INCREMENT_IS_GREATER_THAN_MINIMUM'
  | 'INCREMENT_NOT_A_MULTIPLE_OF_QUANTITY_PRICE_BREAK_MINIMUM'
  | 'MAXIMUM_IS_LOWER_THAN_QUANTITY_PRICE_BREAK_MINIMUM'
  | 'MAXIMUM_NOT_MULTIPLE_OF_INCREMENT'
  | 'MINIMUM_IS_GREATER_THAN_MAXIMUM'
  | 'MINIMUM_IS_HIGHER_THAN_QUANTITY_PRICE_BREAK_MINIMUM'
  | 'MINIMUM_NOT_MULTIPLE_OF_INCREMENT'
  | 'PRICE_LIST_DOES_NOT_EXIST'
  | 'PRODUCT_VARIANT_DOES_NOT_EXIST'
  | 'VARIANT_QUANTITY_RULE_DOES_NOT_EXIST';

export type RefundDutyInput = {
  dutyId: Scalars['ID']['input'];
  refundType?: InputMaybe<RefundDutyRefundType>;
};

export type RefundDutyRefundType =
  | 'FULL'
  | 'PROPORTIONAL';

export type RefundInput = {
  allowOverRefunding?: InputMaybe<Scalars['Boolean']['input']>;
  currency?: InputMaybe<CurrencyCode>;
  discrepancyReason?: InputMaybe<OrderAdjustmentInputDiscrepancyReason>;
  note?: InputMaybe<Scalars['String']['input']>;
  notify?: InputMaybe<Scalars['Boolean']['input']>;
  orderId: Scalars['ID']['input'];
  processedAt?: InputMaybe<Scalars['DateTime']['input']>;
  refundDuties?: InputMaybe<Array<RefundDutyInput>>;
  refundLineItems?: InputMaybe<Array<RefundLineItemInput>>;
  refundMethods?: InputMaybe<Array<RefundMethodInput>>;
  shipping?: InputMaybe<ShippingRefundInput>;
  transactions?: InputMaybe<Array<OrderTransactionInput>>;
};

export type RefundLineItemInput = {
  lineItemId: Scalars['ID']['input'];
  locationId?: InputMaybe<Scalars['ID']['input']>;
  quantity: Scalars['Int']['input'];
  restockType?: InputMaybe<RefundLineItemRestockType>;
};

export type RefundLineItemRestockType =
  | 'CANCEL'
  | 'LEGACY_RESTOCK'
  | 'NO_RESTOCK'
  | 'RETURN';

export type RefundMethodAllocation =
  | 'ORIGINAL_PAYMENT_METHODS'
  | 'STORE_CREDIT';

export type RefundMethodInput = {
  storeCreditRefund?: InputMaybe<StoreCreditRefundInput>;
};

export type RefundShippingInput = {
  fullRefund?: InputMaybe<Scalars['Boolean']['input']>;
  shippingRefundAmount?: InputMaybe<MoneyInput>;
};

export type RemoteAuthorizeNetCustomerPaymentProfileInput = {
  customerPaymentProfileId?: InputMaybe<Scalars['String']['input']>;
  customerProfileId: Scalars['String']['input'];
};

export type RemoteBraintreePaymentMethodInput = {
  customerId: Scalars['String']['input'];
  paymentMethodToken?: InputMaybe<Scalars['String']['input']>;
};

export type RemoteStripePaymentMethodInput = {
  customerId: Scalars['String']['input'];
  paymentMethodId?: InputMaybe<Scalars['String']['input']>;
};

export type ResourceAlertIcon =
  | 'CHECKMARK_CIRCLE'
  | 'INFORMATION_CIRCLE';

export type ResourceAlertSeverity =
  | 'CRITICAL'
  | 'DEFAULT'
  | 'ERROR'
  | 'INFO'
  | 'SUCCESS'
  | 'WARNING';

export type ResourceFeedbackCreateInput = {
  feedbackGeneratedAt: Scalars['DateTime']['input'];
  messages?: InputMaybe<Array<Scalars['String']['input']>>;
  state: ResourceFeedbackState;
};

export type ResourceFeedbackState =
  | 'ACCEPTED'
  | 'REQUIRES_ACTION';

export type ResourceOperationStatus =
  | 'ACTIVE'
  | 'COMPLETE'
  | 'CREATED';

export type RestockingFeeInput = {
  percentage: Scalars['Float']['input'];
};

export type ReturnApproveRequestInput = {
  id: Scalars['ID']['input'];
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ReturnDeclineReason =
  | 'FINAL_SALE'
  | 'OTHER'
  | 'RETURN_PERIOD_ENDED';

export type ReturnDeclineRequestInput = {
  declineNote?: InputMaybe<Scalars['String']['input']>;
  declineReason: ReturnDeclineReason;
  id: Scalars['ID']['input'];
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ReturnErrorCode =
  | 'ALREADY_EXISTS'
  | 'BLANK'
  | 'CREATION_FAILED'
  | 'EQUAL_TO'
  | 'FEATURE_NOT_ENABLED'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_STATE'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'MISSING_PERMISSION'
  | 'NOTIFICATION_FAILED'
  | 'NOT_A_NUMBER'
  | 'NOT_EDITABLE'
  | 'NOT_FOUND'
  | 'PRESENT'
  | 'TAKEN'
  | 'TOO_BIG'
  | 'TOO_LONG'
  | 'TOO_MANY_ARGUMENTS'
  | 'TOO_SHORT'
  | 'WRONG_LENGTH';

export type ReturnInput = {
  exchangeLineItems?: InputMaybe<Array<ExchangeLineItemInput>>;
  orderId: Scalars['ID']['input'];
  requestedAt?: InputMaybe<Scalars['DateTime']['input']>;
  returnLineItems: Array<ReturnLineItemInput>;
  returnShippingFee?: InputMaybe<ReturnShippingFeeInput>;
};

export type ReturnLineItemInput = {
  fulfillmentLineItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  restockingFee?: InputMaybe<RestockingFeeInput>;
  returnReasonDefinitionId?: InputMaybe<Scalars['ID']['input']>;
  returnReasonNote?: InputMaybe<Scalars['String']['input']>;
};

export type ReturnLineItemRemoveFromReturnInput = {
  quantity: Scalars['Int']['input'];
  returnLineItemId: Scalars['ID']['input'];
};

export type ReturnProcessExchangeLineItemInput = {
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type ReturnProcessFinancialTransferInput = {
  issueRefund?: InputMaybe<ReturnProcessRefundInput>;
};

export type ReturnProcessInput = {
  exchangeLineItems?: InputMaybe<Array<ReturnProcessExchangeLineItemInput>>;
  financialTransfer?: InputMaybe<ReturnProcessFinancialTransferInput>;
  note?: InputMaybe<Scalars['String']['input']>;
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  refundDuties?: InputMaybe<Array<RefundDutyInput>>;
  refundShipping?: InputMaybe<RefundShippingInput>;
  returnId: Scalars['ID']['input'];
  returnLineItems?: InputMaybe<Array<ReturnProcessReturnLineItemInput>>;
  tipLineId?: InputMaybe<Scalars['ID']['input']>;
};

export type ReturnProcessRefundInput = {
  allowOverRefunding?: InputMaybe<Scalars['Boolean']['input']>;
  orderTransactions: Array<ReturnRefundOrderTransactionInput>;
  refundMethods?: InputMaybe<Array<RefundMethodInput>>;
};

export type ReturnProcessReturnLineItemInput = {
  dispositions?: InputMaybe<Array<ReverseFulfillmentOrderDisposeInput>>;
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type ReturnProcessingStatusFilterInput =
  | 'PROCESSABLE'
  | 'PROCESSED';

export type ReturnReason =
  | 'COLOR'
  | 'DEFECTIVE'
  | 'NOT_AS_DESCRIBED'
  | 'OTHER'
  | 'SIZE_TOO_LARGE'
  | 'SIZE_TOO_SMALL'
  | 'STYLE'
  | 'UNKNOWN'
  | 'UNWANTED'
  | 'WRONG_ITEM';

export type ReturnReasonDefinitionSortKeys =
  | 'HANDLE'
  | 'ID'
  | 'NAME';

export type ReturnRefundInput = {
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  orderTransactions?: InputMaybe<Array<ReturnRefundOrderTransactionInput>>;
  refundDuties?: InputMaybe<Array<RefundDutyInput>>;
  refundShipping?: InputMaybe<RefundShippingInput>;
  returnId: Scalars['ID']['input'];
  returnRefundLineItems: Array<ReturnRefundLineItemInput>;
};

export type ReturnRefundLineItemInput = {
  quantity: Scalars['Int']['input'];
  returnLineItemId: Scalars['ID']['input'];
};

export type ReturnRefundOrderTransactionInput = {
  parentId: Scalars['ID']['input'];
  transactionAmount: MoneyInput;
};

export type ReturnRequestInput = {
  orderId: Scalars['ID']['input'];
  returnLineItems: Array<ReturnRequestLineItemInput>;
  returnShippingFee?: InputMaybe<ReturnShippingFeeInput>;
};

export type ReturnRequestLineItemInput = {
  customerNote?: InputMaybe<Scalars['String']['input']>;
  fulfillmentLineItemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  restockingFee?: InputMaybe<RestockingFeeInput>;
  returnReasonDefinitionId?: InputMaybe<Scalars['ID']['input']>;
};

export type ReturnShippingFeeInput = {
  amount: MoneyInput;
};

export type ReturnStatus =
  | 'CANCELED'
  | 'CLOSED'
  | 'DECLINED'
  | 'OPEN'
  | 'REQUESTED';

export type ReverseDeliveryLabelInput = {
  fileUrl: Scalars['URL']['input'];
};

export type ReverseDeliveryLineItemInput = {
  quantity: Scalars['Int']['input'];
  reverseFulfillmentOrderLineItemId: Scalars['ID']['input'];
};

export type ReverseDeliveryTrackingInput = {
  number?: InputMaybe<Scalars['String']['input']>;
  url?: InputMaybe<Scalars['URL']['input']>;
};

export type ReverseFulfillmentOrderDisposeInput = {
  dispositionType: ReverseFulfillmentOrderDispositionType;
  locationId?: InputMaybe<Scalars['ID']['input']>;
  quantity: Scalars['Int']['input'];
  reverseFulfillmentOrderLineItemId: Scalars['ID']['input'];
};

export type ReverseFulfillmentOrderDispositionType =
  | 'MISSING'
  | 'NOT_RESTOCKED'
  | 'PROCESSING_REQUIRED'
  | 'RESTOCKED';

export type ReverseFulfillmentOrderStatus =
  | 'CANCELED'
  | 'CLOSED'
  | 'OPEN';

export type ReverseFulfillmentOrderThirdPartyConfirmationStatus =
  | 'ACCEPTED'
  | 'CANCEL_ACCEPTED'
  | 'CANCEL_REJECTED'
  | 'PENDING_ACCEPTANCE'
  | 'PENDING_CANCELATION'
  | 'REJECTED';

export type RiskAssessmentResult =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'NONE'
  | 'PENDING';

export type RiskFactSentiment =
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

export type SeoInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type SaleActionType =
  | 'ORDER'
  | 'RETURN'
  | 'UNKNOWN'
  | 'UPDATE';

export type SaleLineType =
  | 'ADDITIONAL_FEE'
  | 'ADJUSTMENT'
  | 'DUTY'
  | 'FEE'
  | 'GIFT_CARD'
  | 'PRODUCT'
  | 'SHIPPING'
  | 'TIP'
  | 'UNKNOWN';

export type SavedSearchCreateInput = {
  name: Scalars['String']['input'];
  query: Scalars['String']['input'];
  resourceType: SearchResultType;
};

export type SavedSearchDeleteInput = {
  id: Scalars['ID']['input'];
};

export type SavedSearchUpdateInput = {
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
};

export type ScheduledChangeSortKeys =
  | 'EXPECTED_AT'
  | 'ID';

export type ScriptTagDisplayScope =
  | 'ALL'
  | 'ONLINE_STORE'
  | 'ORDER_STATUS';

export type ScriptTagInput = {
  cache?: InputMaybe<Scalars['Boolean']['input']>;
  displayScope?: InputMaybe<ScriptTagDisplayScope>;
  src?: InputMaybe<Scalars['URL']['input']>;
};

export type SearchResultType =
  | 'ARTICLE'
  | 'BALANCE_TRANSACTION'
  | 'BLOG'
  | 'COLLECTION'
  | 'CUSTOMER'
  | 'DISCOUNT_REDEEM_CODE'
  | 'DRAFT_ORDER'
  | 'FILE'
  | 'ORDER'
  | 'PAGE'
  | 'PRICE_RULE'
  | 'PRODUCT'
  | 'URL_REDIRECT';

export type SegmentSortKeys =
  | 'CREATION_DATE'
  | 'ID'
  | 'LAST_EDIT_DATE'
  | 'RELEVANCE';

export type SelectedVariantOptionInput = {
  linkedMetafieldValue?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type SellingPlanAnchorInput = {
  cutoffDay?: InputMaybe<Scalars['Int']['input']>;
  day?: InputMaybe<Scalars['Int']['input']>;
  month?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<SellingPlanAnchorType>;
};

export type SellingPlanAnchorType =
  | 'MONTHDAY'
  | 'WEEKDAY'
  | 'YEARDAY';

export type SellingPlanBillingPolicyInput = {
  fixed?: InputMaybe<SellingPlanFixedBillingPolicyInput>;
  recurring?: InputMaybe<SellingPlanRecurringBillingPolicyInput>;
};

export type SellingPlanCategory =
  | 'OTHER'
  | 'PRE_ORDER'
  | 'SUBSCRIPTION'
  | 'TRY_BEFORE_YOU_BUY';

export type SellingPlanCheckoutChargeInput = {
  type?: InputMaybe<SellingPlanCheckoutChargeType>;
  value?: InputMaybe<SellingPlanCheckoutChargeValueInput>;
};

export type SellingPlanCheckoutChargeType =
  | 'PERCENTAGE'
  | 'PRICE';

export type SellingPlanCheckoutChargeValueInput = {
  fixedValue?: InputMaybe<Scalars['Decimal']['input']>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type SellingPlanDeliveryPolicyInput = {
  fixed?: InputMaybe<SellingPlanFixedDeliveryPolicyInput>;
  recurring?: InputMaybe<SellingPlanRecurringDeliveryPolicyInput>;
};

export type SellingPlanFixedBillingPolicyInput = {
  checkoutCharge?: InputMaybe<SellingPlanCheckoutChargeInput>;
  remainingBalanceChargeExactTime?: InputMaybe<Scalars['DateTime']['input']>;
  remainingBalanceChargeTimeAfterCheckout?: InputMaybe<Scalars['String']['input']>;
  remainingBalanceChargeTrigger?: InputMaybe<SellingPlanRemainingBalanceChargeTrigger>;
};

export type SellingPlanFixedDeliveryPolicyInput = {
  anchors?: InputMaybe<Array<SellingPlanAnchorInput>>;
  cutoff?: InputMaybe<Scalars['Int']['input']>;
  fulfillmentExactTime?: InputMaybe<Scalars['DateTime']['input']>;
  fulfillmentTrigger?: InputMaybe<SellingPlanFulfillmentTrigger>;
  intent?: InputMaybe<SellingPlanFixedDeliveryPolicyIntent>;
  preAnchorBehavior?: InputMaybe<SellingPlanFixedDeliveryPolicyPreAnchorBehavior>;
};

export type SellingPlanFixedDeliveryPolicyIntent =
  | 'FULFILLMENT_BEGIN';

export type SellingPlanFixedDeliveryPolicyPreAnchorBehavior =
  | 'ASAP'
  | 'NEXT';

export type SellingPlanFixedPricingPolicyInput = {
  adjustmentType?: InputMaybe<SellingPlanPricingPolicyAdjustmentType>;
  adjustmentValue?: InputMaybe<SellingPlanPricingPolicyValueInput>;
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type SellingPlanFulfillmentTrigger =
  | 'ANCHOR'
  | 'ASAP'
  | 'EXACT_TIME'
  | 'UNKNOWN';

export type SellingPlanGroupInput = {
  appId?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  merchantCode?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<Array<Scalars['String']['input']>>;
  position?: InputMaybe<Scalars['Int']['input']>;
  sellingPlansToCreate?: InputMaybe<Array<SellingPlanInput>>;
  sellingPlansToDelete?: InputMaybe<Array<Scalars['ID']['input']>>;
  sellingPlansToUpdate?: InputMaybe<Array<SellingPlanInput>>;
};

export type SellingPlanGroupResourceInput = {
  productIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  productVariantIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type SellingPlanGroupSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'NAME'
  | 'UPDATED_AT';

export type SellingPlanGroupUserErrorCode =
  | 'BILLING_AND_DELIVERY_POLICY_TYPES_MUST_BE_THE_SAME'
  | 'BILLING_POLICY_INTERVAL_TOO_LARGE'
  | 'BLANK'
  | 'CHECKOUT_CHARGE_VALUE_AND_TYPE_MUST_MATCH'
  | 'DELIVERY_POLICY_INTERVAL_TOO_LARGE'
  | 'EQUAL_TO'
  | 'ERROR_ADDING_RESOURCE_TO_GROUP'
  | 'FULFILLMENT_EXACT_TIME_NOT_ALLOWED'
  | 'FULFILLMENT_EXACT_TIME_REQUIRED'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'GROUP_COULD_NOT_BE_DELETED'
  | 'GROUP_DOES_NOT_EXIST'
  | 'INCLUSION'
  | 'INVALID'
  | 'INVALID_INPUT'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'NOT_A_NUMBER'
  | 'NOT_FOUND'
  | 'ONLY_NEED_ONE_BILLING_POLICY_TYPE'
  | 'ONLY_NEED_ONE_CHECKOUT_CHARGE_VALUE'
  | 'ONLY_NEED_ONE_DELIVERY_POLICY_TYPE'
  | 'ONLY_NEED_ONE_PRICING_POLICY_TYPE'
  | 'ONLY_NEED_ONE_PRICING_POLICY_VALUE'
  | 'ONLY_ONE_OF_FIXED_OR_RECURRING_BILLING'
  | 'ONLY_ONE_OF_FIXED_OR_RECURRING_DELIVERY'
  | 'PLAN_DOES_NOT_EXIST'
  | 'PLAN_ID_MUST_BE_SPECIFIED_TO_UPDATE'
  | 'PRESENT'
  | 'PRICING_POLICY_ADJUSTMENT_VALUE_AND_TYPE_MUST_MATCH'
  | 'PRODUCT_DOES_NOT_EXIST'
  | 'PRODUCT_VARIANT_DOES_NOT_EXIST'
  | 'REMAINING_BALANCE_CHARGE_EXACT_TIME_NOT_ALLOWED'
  | 'REMAINING_BALANCE_CHARGE_EXACT_TIME_REQUIRED'
  | 'REMAINING_BALANCE_CHARGE_TIME_AFTER_CHECKOUT_MUST_BE_GREATER_THAN_ZERO'
  | 'REMAINING_BALANCE_CHARGE_TRIGGER_NO_REMAINING_BALANCE_ON_PARTIAL_PERCENTAGE_CHECKOUT_CHARGE'
  | 'REMAINING_BALANCE_CHARGE_TRIGGER_NO_REMAINING_BALANCE_ON_PRICE_CHECKOUT_CHARGE'
  | 'REMAINING_BALANCE_CHARGE_TRIGGER_ON_FULL_CHECKOUT'
  | 'RESOURCE_LIST_CONTAINS_INVALID_IDS'
  | 'SELLING_PLAN_ANCHORS_NOT_ALLOWED'
  | 'SELLING_PLAN_ANCHORS_REQUIRED'
  | 'SELLING_PLAN_BILLING_AND_DELIVERY_POLICY_ANCHORS_MUST_BE_EQUAL'
  | 'SELLING_PLAN_BILLING_CYCLE_MUST_BE_A_MULTIPLE_OF_DELIVERY_CYCLE'
  | 'SELLING_PLAN_BILLING_POLICY_MISSING'
  | 'SELLING_PLAN_COUNT_LOWER_BOUND'
  | 'SELLING_PLAN_COUNT_UPPER_BOUND'
  | 'SELLING_PLAN_DELIVERY_POLICY_MISSING'
  | 'SELLING_PLAN_DUPLICATE_NAME'
  | 'SELLING_PLAN_DUPLICATE_OPTIONS'
  | 'SELLING_PLAN_FIXED_PRICING_POLICIES_LIMIT'
  | 'SELLING_PLAN_MAX_CYCLES_MUST_BE_GREATER_THAN_MIN_CYCLES'
  | 'SELLING_PLAN_MISSING_OPTION2_LABEL_ON_PARENT_GROUP'
  | 'SELLING_PLAN_MISSING_OPTION3_LABEL_ON_PARENT_GROUP'
  | 'SELLING_PLAN_OPTION2_REQUIRED_AS_DEFINED_ON_PARENT_GROUP'
  | 'SELLING_PLAN_OPTION3_REQUIRED_AS_DEFINED_ON_PARENT_GROUP'
  | 'SELLING_PLAN_PRICING_POLICIES_LIMIT'
  | 'SELLING_PLAN_PRICING_POLICIES_MUST_CONTAIN_A_FIXED_PRICING_POLICY'
  | 'TAKEN'
  | 'TOO_BIG'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'WRONG_LENGTH';

export type SellingPlanInput = {
  billingPolicy?: InputMaybe<SellingPlanBillingPolicyInput>;
  category?: InputMaybe<SellingPlanCategory>;
  deliveryPolicy?: InputMaybe<SellingPlanDeliveryPolicyInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  inventoryPolicy?: InputMaybe<SellingPlanInventoryPolicyInput>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<Array<Scalars['String']['input']>>;
  position?: InputMaybe<Scalars['Int']['input']>;
  pricingPolicies?: InputMaybe<Array<SellingPlanPricingPolicyInput>>;
};

export type SellingPlanInterval =
  | 'DAY'
  | 'MONTH'
  | 'WEEK'
  | 'YEAR';

export type SellingPlanInventoryPolicyInput = {
  reserve?: InputMaybe<SellingPlanReserve>;
};

export type SellingPlanPricingPolicyAdjustmentType =
  | 'FIXED_AMOUNT'
  | 'PERCENTAGE'
  | 'PRICE';

export type SellingPlanPricingPolicyInput = {
  fixed?: InputMaybe<SellingPlanFixedPricingPolicyInput>;
  recurring?: InputMaybe<SellingPlanRecurringPricingPolicyInput>;
};

export type SellingPlanPricingPolicyValueInput = {
  fixedValue?: InputMaybe<Scalars['Decimal']['input']>;
  percentage?: InputMaybe<Scalars['Float']['input']>;
};

export type SellingPlanRecurringBillingPolicyInput = {
  anchors?: InputMaybe<Array<SellingPlanAnchorInput>>;
  interval?: InputMaybe<SellingPlanInterval>;
  intervalCount?: InputMaybe<Scalars['Int']['input']>;
  maxCycles?: InputMaybe<Scalars['Int']['input']>;
  minCycles?: InputMaybe<Scalars['Int']['input']>;
};

export type SellingPlanRecurringDeliveryPolicyInput = {
  anchors?: InputMaybe<Array<SellingPlanAnchorInput>>;
  cutoff?: InputMaybe<Scalars['Int']['input']>;
  intent?: InputMaybe<SellingPlanRecurringDeliveryPolicyIntent>;
  interval?: InputMaybe<SellingPlanInterval>;
  intervalCount?: InputMaybe<Scalars['Int']['input']>;
  preAnchorBehavior?: InputMaybe<SellingPlanRecurringDeliveryPolicyPreAnchorBehavior>;
};

export type SellingPlanRecurringDeliveryPolicyIntent =
  | 'FULFILLMENT_BEGIN';

export type SellingPlanRecurringDeliveryPolicyPreAnchorBehavior =
  | 'ASAP'
  | 'NEXT';

export type SellingPlanRecurringPricingPolicyInput = {
  adjustmentType?: InputMaybe<SellingPlanPricingPolicyAdjustmentType>;
  adjustmentValue?: InputMaybe<SellingPlanPricingPolicyValueInput>;
  afterCycle: Scalars['Int']['input'];
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type SellingPlanRemainingBalanceChargeTrigger =
  | 'EXACT_TIME'
  | 'NO_REMAINING_BALANCE'
  | 'ON_FULFILLMENT'
  | 'TIME_AFTER_CHECKOUT';

export type SellingPlanReserve =
  | 'ON_FULFILLMENT'
  | 'ON_SALE';

export type ServerPixelStatus =
  | 'CONNECTED'
  | 'DISCONNECTED_CONFIGURED'
  | 'DISCONNECTED_UNCONFIGURED';

export type ShipmentLineItemSortKeys =
  | 'ID';

export type ShippingDiscountClass =
  | 'SHIPPING';

export type ShippingLineInput = {
  priceWithCurrency?: InputMaybe<MoneyInput>;
  shippingRateHandle?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ShippingPackageType =
  | 'BOX'
  | 'ENVELOPE'
  | 'FLAT_RATE'
  | 'SOFT_PACK';

export type ShippingRefundInput = {
  amount?: InputMaybe<Scalars['Money']['input']>;
  fullRefund?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ShopBranding =
  | 'ROGERS'
  | 'SHOPIFY'
  | 'SHOPIFY_GOLD'
  | 'SHOPIFY_PLUS';

export type ShopCustomerAccountsSetting =
  | 'DISABLED'
  | 'OPTIONAL'
  | 'REQUIRED';

export type ShopLocaleInput = {
  marketWebPresenceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  published?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ShopPayPaymentRequestDeliveryMethodType =
  | 'PICKUP'
  | 'SHIPPING';

export type ShopPayPaymentRequestReceiptProcessingStatusErrorCode =
  | 'AMOUNT_TOO_SMALL'
  | 'CALL_ISSUER'
  | 'CARD_DECLINED'
  | 'CONFIG_ERROR'
  | 'EXPIRED_CARD'
  | 'FRAUD_SUSPECTED'
  | 'GENERIC_ERROR'
  | 'INCORRECT_ADDRESS'
  | 'INCORRECT_CVC'
  | 'INCORRECT_NUMBER'
  | 'INCORRECT_PIN'
  | 'INCORRECT_ZIP'
  | 'INVALID_AMOUNT'
  | 'INVALID_COUNTRY'
  | 'INVALID_CVC'
  | 'INVALID_EXPIRY_DATE'
  | 'INVALID_NUMBER'
  | 'PAYMENT_METHOD_UNAVAILABLE'
  | 'PICK_UP_CARD'
  | 'PROCESSING_ERROR'
  | 'TEST_MODE_LIVE_CARD'
  | 'THREE_D_SECURE_FAILED'
  | 'UNSUPPORTED_FEATURE';

export type ShopPayPaymentRequestReceiptProcessingStatusState =
  | 'ACTION_REQUIRED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PROCESSING'
  | 'READY';

export type ShopPayPaymentRequestReceiptsSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type ShopPolicyErrorCode =
  | 'TOO_BIG';

export type ShopPolicyInput = {
  body: Scalars['String']['input'];
  type: ShopPolicyType;
};

export type ShopPolicyType =
  | 'CONTACT_INFORMATION'
  | 'LEGAL_NOTICE'
  | 'PRIVACY_POLICY'
  | 'REFUND_POLICY'
  | 'SHIPPING_POLICY'
  | 'SUBSCRIPTION_POLICY'
  | 'TERMS_OF_SALE'
  | 'TERMS_OF_SERVICE';

export type ShopResourceFeedbackCreateUserErrorCode =
  | 'BLANK'
  | 'FEEDBACK_DATE_IN_FUTURE'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'OUTDATED_FEEDBACK'
  | 'PRESENT';

export type ShopTagSort =
  | 'ALPHABETICAL'
  | 'POPULAR';

export type ShopifyPaymentsBalanceTransactionPayoutStatus =
  | 'ACTION_REQUIRED'
  | 'CANCELED'
  | 'FAILED'
  | 'IN_TRANSIT'
  | 'PAID'
  | 'PENDING'
  | 'SCHEDULED';

export type ShopifyPaymentsBankAccountStatus =
  | 'ERRORED'
  | 'NEW'
  | 'VALIDATED'
  | 'VERIFIED';

export type ShopifyPaymentsBusinessType =
  | 'CORPORATION'
  | 'FREE_ZONE_ESTABLISHMENT'
  | 'FREE_ZONE_LLC'
  | 'GOVERNMENT'
  | 'INCORPORATED_PARTNERSHIP'
  | 'INDIVIDUAL'
  | 'LLC'
  | 'NON_PROFIT'
  | 'NON_PROFIT_INCORPORATED'
  | 'NON_PROFIT_REGISTERED_CHARITY'
  | 'NON_PROFIT_UNINCORPORATED'
  | 'NON_PROFIT_UNINCORPORATED_ASSOCIATION'
  | 'NOT_SET'
  | 'PARTNERSHIP'
  | 'PRIVATE_CORPORATION'
  | 'PRIVATE_MULTI_MEMBER_LLC'
  | 'PRIVATE_PARTNERSHIP'
  | 'PRIVATE_SINGLE_MEMBER_LLC'
  | 'PRIVATE_UNINCORPORATED_ASSOCIATION'
  | 'PUBLIC_COMPANY'
  | 'PUBLIC_CORPORATION'
  | 'PUBLIC_PARTNERSHIP'
  | 'SOLE_ESTABLISHMENT'
  | 'SOLE_PROP'
  | 'UNINCORPORATED_PARTNERSHIP';

export type ShopifyPaymentsDisputeEvidenceFileType =
  | 'CANCELLATION_POLICY_FILE'
  | 'CUSTOMER_COMMUNICATION_FILE'
  | 'REFUND_POLICY_FILE'
  | 'RESPONSE_SUMMARY_FILE'
  | 'SERVICE_DOCUMENTATION_FILE'
  | 'SHIPPING_DOCUMENTATION_FILE'
  | 'UNCATEGORIZED_FILE';

export type ShopifyPaymentsDisputeEvidenceUpdateInput = {
  accessActivityLog?: InputMaybe<Scalars['String']['input']>;
  cancellationPolicyDisclosure?: InputMaybe<Scalars['String']['input']>;
  cancellationPolicyFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  cancellationRebuttal?: InputMaybe<Scalars['String']['input']>;
  customerCommunicationFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  customerEmailAddress?: InputMaybe<Scalars['String']['input']>;
  customerFirstName?: InputMaybe<Scalars['String']['input']>;
  customerLastName?: InputMaybe<Scalars['String']['input']>;
  refundPolicyDisclosure?: InputMaybe<Scalars['String']['input']>;
  refundPolicyFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  refundRefusalExplanation?: InputMaybe<Scalars['String']['input']>;
  serviceDocumentationFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  shippingAddress?: InputMaybe<MailingAddressInput>;
  shippingDocumentationFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  submitEvidence?: InputMaybe<Scalars['Boolean']['input']>;
  uncategorizedFile?: InputMaybe<ShopifyPaymentsDisputeFileUploadUpdateInput>;
  uncategorizedText?: InputMaybe<Scalars['String']['input']>;
};

export type ShopifyPaymentsDisputeFileUploadUpdateInput = {
  destroy?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};

export type ShopifyPaymentsDisputeReason =
  | 'BANK_CANNOT_PROCESS'
  | 'CREDIT_NOT_PROCESSED'
  | 'CUSTOMER_INITIATED'
  | 'DEBIT_NOT_AUTHORIZED'
  | 'DUPLICATE'
  | 'FRAUDULENT'
  | 'GENERAL'
  | 'INCORRECT_ACCOUNT_DETAILS'
  | 'INSUFFICIENT_FUNDS'
  | 'NONCOMPLIANT'
  | 'PRODUCT_NOT_RECEIVED'
  | 'PRODUCT_UNACCEPTABLE'
  | 'SUBSCRIPTION_CANCELLED'
  | 'UNRECOGNIZED';

export type ShopifyPaymentsPayoutAlternateCurrencyCreateUserErrorCode =
  | 'ALTERNATE_CURRENCY_PAYOUT_FAILED_NO_ELIGIBLE_BALANCE'
  | 'ALTERNATE_CURRENCY_PAYOUT_FAILED_STRIPE_ERROR'
  | 'MISSING_PROVIDER_ACCOUNT'
  | 'UNKNOWN_CORE_ERROR';

export type ShopifyPaymentsPayoutInterval =
  | 'DAILY'
  | 'MANUAL'
  | 'MONTHLY'
  | 'WEEKLY';

export type ShopifyPaymentsPayoutStatus =
  | 'CANCELED'
  | 'FAILED'
  | 'IN_TRANSIT'
  | 'PAID'
  | 'SCHEDULED';

export type ShopifyPaymentsPayoutTransactionType =
  | 'DEPOSIT'
  | 'WITHDRAWAL';

export type ShopifyPaymentsSourceType =
  | 'ADJUSTMENT'
  | 'ADJUSTMENT_REVERSAL'
  | 'CHARGE'
  | 'DISPUTE'
  | 'REFUND'
  | 'SYSTEM_ADJUSTMENT'
  | 'TRANSFER';

export type ShopifyPaymentsTaxIdentificationType =
  | 'EIN'
  | 'FULL_SSN'
  | 'SSN_LAST4_DIGITS';

export type ShopifyPaymentsTransactionType =
  | 'ACH_BANK_FAILURE_DEBIT_FEE'
  | 'ACH_BANK_FAILURE_DEBIT_REVERSAL_FEE'
  | 'ADJUSTMENT'
  | 'ADS_PUBLISHER_CREDIT'
  | 'ADS_PUBLISHER_CREDIT_REVERSAL'
  | 'ADVANCE'
  | 'ADVANCE_FUNDING'
  | 'AGENTIC_FEE_TAX_CREDIT'
  | 'AGENTIC_FEE_TAX_CREDIT_REVERSAL'
  | 'AGENTIC_FEE_TAX_DEBIT'
  | 'AGENTIC_FEE_TAX_DEBIT_REVERSAL'
  | 'ANOMALY_CREDIT'
  | 'ANOMALY_CREDIT_REVERSAL'
  | 'ANOMALY_DEBIT'
  | 'ANOMALY_DEBIT_REVERSAL'
  | 'APPLICATION_FEE_REFUND'
  | 'BALANCE_TRANSFER_INBOUND'
  | 'BILLING_DEBIT'
  | 'BILLING_DEBIT_REVERSAL'
  | 'CHANNEL_CREDIT'
  | 'CHANNEL_CREDIT_REVERSAL'
  | 'CHANNEL_PROMOTION_CREDIT'
  | 'CHANNEL_PROMOTION_CREDIT_REVERSAL'
  | 'CHANNEL_TRANSFER_CREDIT'
  | 'CHANNEL_TRANSFER_CREDIT_REVERSAL'
  | 'CHANNEL_TRANSFER_DEBIT'
  | 'CHANNEL_TRANSFER_DEBIT_REVERSAL'
  | 'CHARGE'
  | 'CHARGEBACK_FEE'
  | 'CHARGEBACK_FEE_REFUND'
  | 'CHARGEBACK_HOLD'
  | 'CHARGEBACK_HOLD_RELEASE'
  | 'CHARGEBACK_PROTECTION_CREDIT'
  | 'CHARGEBACK_PROTECTION_CREDIT_REVERSAL'
  | 'CHARGEBACK_PROTECTION_DEBIT'
  | 'CHARGEBACK_PROTECTION_DEBIT_REVERSAL'
  | 'CHARGE_ADJUSTMENT'
  | 'COLLECTIONS_CREDIT'
  | 'COLLECTIONS_CREDIT_REVERSAL'
  | 'CUSTOMS_DUTY'
  | 'CUSTOMS_DUTY_ADJUSTMENT'
  | 'DISPUTE_REVERSAL'
  | 'DISPUTE_WITHDRAWAL'
  | 'IMPORT_TAX'
  | 'IMPORT_TAX_ADJUSTMENT'
  | 'IMPORT_TAX_REFUND'
  | 'LENDING_CAPITAL_REFUND'
  | 'LENDING_CAPITAL_REFUND_REVERSAL'
  | 'LENDING_CAPITAL_REMITTANCE'
  | 'LENDING_CAPITAL_REMITTANCE_REVERSAL'
  | 'LENDING_CREDIT'
  | 'LENDING_CREDIT_REFUND'
  | 'LENDING_CREDIT_REFUND_REVERSAL'
  | 'LENDING_CREDIT_REMITTANCE'
  | 'LENDING_CREDIT_REMITTANCE_REVERSAL'
  | 'LENDING_CREDIT_REVERSAL'
  | 'LENDING_DEBIT'
  | 'LENDING_DEBIT_REVERSAL'
  | 'MARKETPLACE_FEE_CREDIT'
  | 'MARKETPLACE_FEE_CREDIT_REVERSAL'
  | 'MARKETS_PRO_CREDIT'
  | 'MERCHANT_GOODWILL_CREDIT'
  | 'MERCHANT_GOODWILL_CREDIT_REVERSAL'
  | 'MERCHANT_TO_MERCHANT_CREDIT'
  | 'MERCHANT_TO_MERCHANT_CREDIT_REVERSAL'
  | 'MERCHANT_TO_MERCHANT_DEBIT'
  | 'MERCHANT_TO_MERCHANT_DEBIT_REVERSAL'
  | 'PROMOTION_CREDIT'
  | 'PROMOTION_CREDIT_REVERSAL'
  | 'REFERRAL_FEE'
  | 'REFERRAL_FEE_TAX'
  | 'REFUND'
  | 'REFUND_ADJUSTMENT'
  | 'REFUND_FAILURE'
  | 'RESERVED_FUNDS'
  | 'RESERVED_FUNDS_REVERSAL'
  | 'RESERVED_FUNDS_WITHDRAWAL'
  | 'RISK_REVERSAL'
  | 'RISK_WITHDRAWAL'
  | 'SELLER_PROTECTION_CREDIT'
  | 'SELLER_PROTECTION_CREDIT_REVERSAL'
  | 'SHIPPING_LABEL'
  | 'SHIPPING_LABEL_ADJUSTMENT'
  | 'SHIPPING_LABEL_ADJUSTMENT_BASE'
  | 'SHIPPING_LABEL_ADJUSTMENT_SURCHARGE'
  | 'SHIPPING_OTHER_CARRIER_CHARGE_ADJUSTMENT'
  | 'SHIPPING_RETURN_TO_ORIGIN_ADJUSTMENT'
  | 'SHOPIFY_COLLECTIVE_CREDIT'
  | 'SHOPIFY_COLLECTIVE_CREDIT_REVERSAL'
  | 'SHOPIFY_COLLECTIVE_DEBIT'
  | 'SHOPIFY_COLLECTIVE_DEBIT_REVERSAL'
  | 'SHOPIFY_SOURCE_CREDIT'
  | 'SHOPIFY_SOURCE_CREDIT_REVERSAL'
  | 'SHOPIFY_SOURCE_DEBIT'
  | 'SHOPIFY_SOURCE_DEBIT_REVERSAL'
  | 'SHOP_CASH_BILLING_DEBIT'
  | 'SHOP_CASH_BILLING_DEBIT_REVERSAL'
  | 'SHOP_CASH_CAMPAIGN_BILLING_CREDIT'
  | 'SHOP_CASH_CAMPAIGN_BILLING_CREDIT_REVERSAL'
  | 'SHOP_CASH_CAMPAIGN_BILLING_DEBIT'
  | 'SHOP_CASH_CAMPAIGN_BILLING_DEBIT_REVERSAL'
  | 'SHOP_CASH_CREDIT'
  | 'SHOP_CASH_CREDIT_REVERSAL'
  | 'SHOP_CASH_REFUND_DEBIT'
  | 'SHOP_CASH_REFUND_DEBIT_REVERSAL'
  | 'STRIPE_FEE'
  | 'TAX_ADJUSTMENT_CREDIT'
  | 'TAX_ADJUSTMENT_CREDIT_REVERSAL'
  | 'TAX_ADJUSTMENT_DEBIT'
  | 'TAX_ADJUSTMENT_DEBIT_REVERSAL'
  | 'TRANSFER'
  | 'TRANSFER_CANCEL'
  | 'TRANSFER_FAILURE'
  | 'TRANSFER_REFUND'
  | 'VAT_REFUND_CREDIT'
  | 'VAT_REFUND_CREDIT_REVERSAL';

export type ShopifyProtectEligibilityStatus =
  | 'ELIGIBLE'
  | 'NOT_ELIGIBLE'
  | 'PENDING';

export type ShopifyProtectStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'NOT_PROTECTED'
  | 'PENDING'
  | 'PROTECTED';

export type StaffMemberDefaultImage =
  | 'DEFAULT'
  | 'NOT_FOUND'
  | 'TRANSPARENT';

export type StaffMemberPermission =
  | 'APPLICATIONS'
  | 'CHANNELS'
  | 'CREATE_AND_EDIT_CUSTOMERS'
  | 'CREATE_AND_EDIT_GIFT_CARDS'
  | 'CREATE_AND_EDIT_MARKETS'
  | 'CUSTOMERS'
  | 'DASHBOARD'
  | 'DEACTIVATE_GIFT_CARDS'
  | 'DELETE_CUSTOMERS'
  | 'DELETE_MARKETS'
  | 'DOMAINS'
  | 'DRAFT_ORDERS'
  | 'EDIT_ORDERS'
  | 'ERASE_CUSTOMER_DATA'
  | 'EXPORT_CUSTOMERS'
  | 'EXPORT_GIFT_CARDS'
  | 'FULL'
  | 'GIFT_CARDS'
  | 'LINKS'
  | 'LOCATIONS'
  | 'MARKETING'
  | 'MARKETING_SECTION'
  | 'MERGE_CUSTOMERS'
  | 'ORDERS'
  | 'OVERVIEWS'
  | 'PAGES'
  | 'PAY_ORDERS_BY_VAULTED_CARD'
  | 'PREFERENCES'
  | 'PRODUCTS'
  | 'REPORTS'
  | 'REQUEST_CUSTOMER_DATA'
  | 'THEMES'
  | 'TRANSLATIONS'
  | 'VIEW_MARKETS';

export type StaffMembersSortKeys =
  | 'EMAIL'
  | 'FIRST_NAME'
  | 'ID'
  | 'LAST_NAME';

export type StageImageInput = {
  filename: Scalars['String']['input'];
  httpMethod?: InputMaybe<StagedUploadHttpMethodType>;
  mimeType: Scalars['String']['input'];
  resource: StagedUploadTargetGenerateUploadResource;
};

export type StagedUploadHttpMethodType =
  | 'POST'
  | 'PUT';

export type StagedUploadInput = {
  fileSize?: InputMaybe<Scalars['UnsignedInt64']['input']>;
  filename: Scalars['String']['input'];
  httpMethod?: InputMaybe<StagedUploadHttpMethodType>;
  mimeType: Scalars['String']['input'];
  resource: StagedUploadTargetGenerateUploadResource;
};

export type StagedUploadTargetGenerateInput = {
  fileSize?: InputMaybe<Scalars['UnsignedInt64']['input']>;
  filename: Scalars['String']['input'];
  httpMethod?: InputMaybe<StagedUploadHttpMethodType>;
  mimeType: Scalars['String']['input'];
  resource: StagedUploadTargetGenerateUploadResource;
};

export type StagedUploadTargetGenerateUploadResource =
  | 'BULK_MUTATION_VARIABLES'
  | 'COLLECTION_IMAGE'
  | 'DISPUTE_FILE_UPLOAD'
  | 'FILE'
  | 'IMAGE'
  | 'MODEL_3D'
  | 'PRODUCT_IMAGE'
  | 'RETURN_LABEL'
  | 'SHOP_IMAGE'
  | 'URL_REDIRECT_IMPORT'
  | 'VIDEO';

export type StandardMetafieldDefinitionAccessInput = {
  admin?: InputMaybe<MetafieldAdminAccessInput>;
  customerAccount?: InputMaybe<MetafieldCustomerAccountAccessInput>;
  storefront?: InputMaybe<MetafieldStorefrontAccessInput>;
};

export type StandardMetafieldDefinitionEnableUserErrorCode =
  | 'ADMIN_ACCESS_INPUT_NOT_ALLOWED'
  | 'CAPABILITY_CANNOT_BE_DISABLED'
  | 'INVALID'
  | 'INVALID_CAPABILITY'
  | 'INVALID_INPUT_COMBINATION'
  | 'LIMIT_EXCEEDED'
  | 'OWNER_TYPE_LIMIT_EXCEEDED_FOR_USE_AS_ADMIN_FILTERS'
  | 'TAKEN'
  | 'TEMPLATE_NOT_FOUND'
  | 'TYPE_NOT_ALLOWED_FOR_CONDITIONS'
  | 'UNSTRUCTURED_ALREADY_EXISTS'
  | 'UNSUPPORTED_PINNING';

export type StoreCreditAccountCreditInput = {
  creditAmount: MoneyInput;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  notify?: InputMaybe<Scalars['Boolean']['input']>;
};

export type StoreCreditAccountCreditUserErrorCode =
  | 'ACCOUNT_NOT_FOUND'
  | 'CREDIT_LIMIT_EXCEEDED'
  | 'EXPIRES_AT_IN_PAST'
  | 'MISMATCHING_CURRENCY'
  | 'NEGATIVE_OR_ZERO_AMOUNT'
  | 'OWNER_NOT_FOUND'
  | 'UNSUPPORTED_CURRENCY';

export type StoreCreditAccountDebitInput = {
  debitAmount: MoneyInput;
};

export type StoreCreditAccountDebitUserErrorCode =
  | 'ACCOUNT_NOT_FOUND'
  | 'INSUFFICIENT_FUNDS'
  | 'MISMATCHING_CURRENCY'
  | 'NEGATIVE_OR_ZERO_AMOUNT';

export type StoreCreditRefundInput = {
  amount: MoneyInput;
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
};

export type StoreCreditSystemEvent =
  | 'ADJUSTMENT'
  | 'ORDER_CANCELLATION'
  | 'ORDER_PAYMENT'
  | 'ORDER_REFUND'
  | 'PAYMENT_FAILURE'
  | 'PAYMENT_RETURNED'
  | 'TAX_FINALIZATION';

export type StorefrontAccessTokenDeleteInput = {
  id: Scalars['ID']['input'];
};

export type StorefrontAccessTokenInput = {
  title: Scalars['String']['input'];
};

export type SubscriptionAtomicLineInput = {
  discounts?: InputMaybe<Array<SubscriptionAtomicManualDiscountInput>>;
  line: SubscriptionLineInput;
};

export type SubscriptionAtomicManualDiscountInput = {
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  value?: InputMaybe<SubscriptionManualDiscountValueInput>;
};

export type SubscriptionBillingAttemptErrorCode =
  | 'AMOUNT_TOO_SMALL'
  | 'AUTHENTICATION_ERROR'
  | 'BUYER_CANCELED_PAYMENT_METHOD'
  | 'CARD_NUMBER_INCORRECT'
  | 'CUSTOMER_INVALID'
  | 'CUSTOMER_NOT_FOUND'
  | 'EXPIRED_PAYMENT_METHOD'
  | 'FRAUD_SUSPECTED'
  | 'FREE_GIFT_CARD_NOT_ALLOWED'
  | 'INSUFFICIENT_FUNDS'
  | 'INSUFFICIENT_INVENTORY'
  | 'INVALID_BILLING_ADDRESS'
  | 'INVALID_CUSTOMER_BILLING_AGREEMENT'
  | 'INVALID_PAYMENT_METHOD'
  | 'INVALID_SHIPPING_ADDRESS'
  | 'INVENTORY_ALLOCATIONS_NOT_FOUND'
  | 'INVOICE_ALREADY_PAID'
  | 'NON_TEST_ORDER_LIMIT_REACHED'
  | 'PAYMENT_METHOD_DECLINED'
  | 'PAYMENT_METHOD_INCOMPATIBLE_WITH_GATEWAY_CONFIG'
  | 'PAYMENT_METHOD_NOT_FOUND'
  | 'PAYMENT_PROVIDER_IS_NOT_ENABLED'
  | 'PAYPAL_ERROR_GENERAL'
  | 'PURCHASE_TYPE_NOT_SUPPORTED'
  | 'TEST_MODE'
  | 'TRANSIENT_ERROR'
  | 'UNEXPECTED_ERROR';

export type SubscriptionBillingAttemptInput = {
  billingCycleSelector?: InputMaybe<SubscriptionBillingCycleSelector>;
  idempotencyKey: Scalars['String']['input'];
  inventoryPolicy?: InputMaybe<SubscriptionBillingAttemptInventoryPolicy>;
  originTime?: InputMaybe<Scalars['DateTime']['input']>;
};

export type SubscriptionBillingAttemptInventoryPolicy =
  | 'ALLOW_OVERSELLING'
  | 'PRODUCT_VARIANT_INVENTORY_POLICY';

export type SubscriptionBillingAttemptsSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type SubscriptionBillingCycleBillingAttemptStatus =
  | 'ANY'
  | 'HAS_ATTEMPT'
  | 'NO_ATTEMPT';

export type SubscriptionBillingCycleBillingCycleStatus =
  | 'BILLED'
  | 'UNBILLED';

export type SubscriptionBillingCycleBulkFilters = {
  billingAttemptStatus?: InputMaybe<SubscriptionBillingCycleBillingAttemptStatus>;
  billingCycleStatus?: InputMaybe<Array<SubscriptionBillingCycleBillingCycleStatus>>;
  contractStatus?: InputMaybe<Array<SubscriptionContractSubscriptionStatus>>;
};

export type SubscriptionBillingCycleBulkUserErrorCode =
  | 'BLANK'
  | 'END_DATE_IN_THE_FUTURE'
  | 'INVALID'
  | 'INVALID_DATE_RANGE'
  | 'START_DATE_BEFORE_END_DATE';

export type SubscriptionBillingCycleErrorCode =
  | 'BILLING_DATE_SET_ON_SKIPPED'
  | 'CYCLE_INDEX_OUT_OF_RANGE'
  | 'CYCLE_NOT_FOUND'
  | 'CYCLE_START_DATE_OUT_OF_RANGE'
  | 'EMPTY_BILLING_CYCLE_EDIT_SCHEDULE_INPUT'
  | 'INCOMPLETE_BILLING_ATTEMPTS'
  | 'INVALID'
  | 'INVALID_CYCLE_INDEX'
  | 'INVALID_DATE'
  | 'NO_CYCLE_EDITS'
  | 'OUT_OF_BOUNDS'
  | 'UPCOMING_CYCLE_LIMIT_EXCEEDED';

export type SubscriptionBillingCycleInput = {
  contractId: Scalars['ID']['input'];
  selector: SubscriptionBillingCycleSelector;
};

export type SubscriptionBillingCycleScheduleEditInput = {
  billingDate?: InputMaybe<Scalars['DateTime']['input']>;
  reason: SubscriptionBillingCycleScheduleEditInputScheduleEditReason;
  skip?: InputMaybe<Scalars['Boolean']['input']>;
};

export type SubscriptionBillingCycleScheduleEditInputScheduleEditReason =
  | 'BUYER_INITIATED'
  | 'DEV_INITIATED'
  | 'MERCHANT_INITIATED';

export type SubscriptionBillingCycleSelector = {
  date?: InputMaybe<Scalars['DateTime']['input']>;
  index?: InputMaybe<Scalars['Int']['input']>;
};

export type SubscriptionBillingCycleSkipUserErrorCode =
  | 'INVALID';

export type SubscriptionBillingCycleUnskipUserErrorCode =
  | 'INVALID';

export type SubscriptionBillingCyclesDateRangeSelector = {
  endDate: Scalars['DateTime']['input'];
  startDate: Scalars['DateTime']['input'];
};

export type SubscriptionBillingCyclesIndexRangeSelector = {
  endIndex: Scalars['Int']['input'];
  startIndex: Scalars['Int']['input'];
};

export type SubscriptionBillingCyclesSortKeys =
  | 'CYCLE_INDEX'
  | 'ID';

export type SubscriptionBillingCyclesTargetSelection =
  | 'ALL';

export type SubscriptionBillingPolicyInput = {
  anchors?: InputMaybe<Array<SellingPlanAnchorInput>>;
  interval: SellingPlanInterval;
  intervalCount: Scalars['Int']['input'];
  maxCycles?: InputMaybe<Scalars['Int']['input']>;
  minCycles?: InputMaybe<Scalars['Int']['input']>;
};

export type SubscriptionContractAtomicCreateInput = {
  contract: SubscriptionDraftInput;
  currencyCode: CurrencyCode;
  customerId: Scalars['ID']['input'];
  discountCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  lines: Array<SubscriptionAtomicLineInput>;
  nextBillingDate: Scalars['DateTime']['input'];
};

export type SubscriptionContractCreateInput = {
  contract: SubscriptionDraftInput;
  currencyCode: CurrencyCode;
  customerId: Scalars['ID']['input'];
  nextBillingDate: Scalars['DateTime']['input'];
};

export type SubscriptionContractErrorCode =
  | 'INVALID';

export type SubscriptionContractLastBillingErrorType =
  | 'CUSTOMER_ERROR'
  | 'INVENTORY_ERROR'
  | 'OTHER'
  | 'PAYMENT_ERROR';

export type SubscriptionContractLastPaymentStatus =
  | 'FAILED'
  | 'SUCCEEDED';

export type SubscriptionContractProductChangeInput = {
  currentPrice?: InputMaybe<Scalars['Decimal']['input']>;
  productVariantId?: InputMaybe<Scalars['ID']['input']>;
};

export type SubscriptionContractStatusUpdateErrorCode =
  | 'CONTRACT_TERMINATED'
  | 'INVALID';

export type SubscriptionContractSubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PAUSED';

export type SubscriptionContractsSortKeys =
  | 'CREATED_AT'
  | 'ID'
  | 'STATUS'
  | 'UPDATED_AT';

export type SubscriptionDeliveryMethodInput = {
  localDelivery?: InputMaybe<SubscriptionDeliveryMethodLocalDeliveryInput>;
  pickup?: InputMaybe<SubscriptionDeliveryMethodPickupInput>;
  shipping?: InputMaybe<SubscriptionDeliveryMethodShippingInput>;
};

export type SubscriptionDeliveryMethodLocalDeliveryInput = {
  address?: InputMaybe<MailingAddressInput>;
  localDeliveryOption?: InputMaybe<SubscriptionDeliveryMethodLocalDeliveryOptionInput>;
};

export type SubscriptionDeliveryMethodLocalDeliveryOptionInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  instructions?: InputMaybe<Scalars['String']['input']>;
  phone: Scalars['String']['input'];
  presentmentTitle?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionDeliveryMethodPickupInput = {
  pickupOption?: InputMaybe<SubscriptionDeliveryMethodPickupOptionInput>;
};

export type SubscriptionDeliveryMethodPickupOptionInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  locationId: Scalars['ID']['input'];
  presentmentTitle?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionDeliveryMethodShippingInput = {
  address?: InputMaybe<MailingAddressInput>;
  shippingOption?: InputMaybe<SubscriptionDeliveryMethodShippingOptionInput>;
};

export type SubscriptionDeliveryMethodShippingOptionInput = {
  carrierServiceId?: InputMaybe<Scalars['ID']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  presentmentTitle?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionDeliveryPolicyInput = {
  anchors?: InputMaybe<Array<SellingPlanAnchorInput>>;
  interval: SellingPlanInterval;
  intervalCount: Scalars['Int']['input'];
};

export type SubscriptionDiscountRejectionReason =
  | 'CURRENTLY_INACTIVE'
  | 'CUSTOMER_NOT_ELIGIBLE'
  | 'CUSTOMER_USAGE_LIMIT_REACHED'
  | 'INCOMPATIBLE_PURCHASE_TYPE'
  | 'INTERNAL_ERROR'
  | 'NOT_FOUND'
  | 'NO_ENTITLED_LINE_ITEMS'
  | 'NO_ENTITLED_SHIPPING_LINES'
  | 'PURCHASE_NOT_IN_RANGE'
  | 'QUANTITY_NOT_IN_RANGE'
  | 'USAGE_LIMIT_REACHED';

export type SubscriptionDraftErrorCode =
  | 'ALREADY_REMOVED'
  | 'BILLING_CYCLE_ABSENT'
  | 'BILLING_CYCLE_CONTRACT_DRAFT_BILLING_POLICY_INVALID'
  | 'BILLING_CYCLE_CONTRACT_DRAFT_DELIVERY_POLICY_INVALID'
  | 'BILLING_CYCLE_PRESENT'
  | 'BLANK'
  | 'COMMITTED'
  | 'CONCATENATION_BILLING_CYCLE_CONTRACT_DRAFT_REQUIRED'
  | 'CONCATENATION_UNCOMMITTED_CONTRACT_DRAFT'
  | 'CURRENCY_NOT_ENABLED'
  | 'CUSTOMER_DOES_NOT_EXIST'
  | 'CUSTOMER_MISMATCH'
  | 'CUSTOMER_REDACTED'
  | 'CYCLE_DISCOUNTS_UNIQUE_AFTER_CYCLE'
  | 'CYCLE_INDEX_OUT_OF_RANGE'
  | 'CYCLE_SELECTOR_VALIDATE_ONE_OF'
  | 'CYCLE_START_DATE_OUT_OF_RANGE'
  | 'DELIVERY_METHOD_REQUIRED'
  | 'DELIVERY_MUST_BE_MULTIPLE_OF_BILLING'
  | 'DUPLICATE_CONCATENATED_CONTRACTS'
  | 'EXCEEDED_MAX_CONCATENATED_CONTRACTS'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL_TO'
  | 'HAS_FUTURE_EDITS'
  | 'INVALID'
  | 'INVALID_ADJUSTMENT_TYPE'
  | 'INVALID_ADJUSTMENT_VALUE'
  | 'INVALID_BILLING_DATE'
  | 'INVALID_LINES'
  | 'INVALID_NOTE_LENGTH'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL_TO'
  | 'MISSING_CUSTOMER_PAYMENT_METHOD'
  | 'MISSING_LOCAL_DELIVERY_OPTIONS'
  | 'NOT_AN_INTEGER'
  | 'NOT_IN_RANGE'
  | 'NO_ENTITLED_LINES'
  | 'PRESENCE'
  | 'SELLING_PLAN_MAX_CYCLES_MUST_BE_GREATER_THAN_MIN_CYCLES'
  | 'STALE_CONTRACT'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UPCOMING_CYCLE_LIMIT_EXCEEDED';

export type SubscriptionDraftInput = {
  billingPolicy?: InputMaybe<SubscriptionBillingPolicyInput>;
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  deliveryMethod?: InputMaybe<SubscriptionDeliveryMethodInput>;
  deliveryPolicy?: InputMaybe<SubscriptionDeliveryPolicyInput>;
  deliveryPrice?: InputMaybe<Scalars['Decimal']['input']>;
  nextBillingDate?: InputMaybe<Scalars['DateTime']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  paymentMethodId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<SubscriptionContractSubscriptionStatus>;
};

export type SubscriptionFreeShippingDiscountInput = {
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionLineInput = {
  currentPrice: Scalars['Decimal']['input'];
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  pricingPolicy?: InputMaybe<SubscriptionPricingPolicyInput>;
  productVariantId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  sellingPlanId?: InputMaybe<Scalars['ID']['input']>;
  sellingPlanName?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionLineUpdateInput = {
  currentPrice?: InputMaybe<Scalars['Decimal']['input']>;
  customAttributes?: InputMaybe<Array<AttributeInput>>;
  pricingPolicy?: InputMaybe<SubscriptionPricingPolicyInput>;
  productVariantId?: InputMaybe<Scalars['ID']['input']>;
  quantity?: InputMaybe<Scalars['Int']['input']>;
  sellingPlanId?: InputMaybe<Scalars['ID']['input']>;
  sellingPlanName?: InputMaybe<Scalars['String']['input']>;
};

export type SubscriptionManualDiscountEntitledLinesInput = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  lines?: InputMaybe<SubscriptionManualDiscountLinesInput>;
};

export type SubscriptionManualDiscountFixedAmountInput = {
  amount?: InputMaybe<Scalars['Float']['input']>;
  appliesOnEachItem?: InputMaybe<Scalars['Boolean']['input']>;
};

export type SubscriptionManualDiscountInput = {
  entitledLines?: InputMaybe<SubscriptionManualDiscountEntitledLinesInput>;
  recurringCycleLimit?: InputMaybe<Scalars['Int']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  value?: InputMaybe<SubscriptionManualDiscountValueInput>;
};

export type SubscriptionManualDiscountLinesInput = {
  add?: InputMaybe<Array<Scalars['ID']['input']>>;
  remove?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type SubscriptionManualDiscountValueInput = {
  fixedAmount?: InputMaybe<SubscriptionManualDiscountFixedAmountInput>;
  percentage?: InputMaybe<Scalars['Int']['input']>;
};

export type SubscriptionPricingPolicyCycleDiscountsInput = {
  adjustmentType: SellingPlanPricingPolicyAdjustmentType;
  adjustmentValue: SellingPlanPricingPolicyValueInput;
  afterCycle: Scalars['Int']['input'];
  computedPrice: Scalars['Decimal']['input'];
};

export type SubscriptionPricingPolicyInput = {
  basePrice: Scalars['Decimal']['input'];
  cycleDiscounts: Array<SubscriptionPricingPolicyCycleDiscountsInput>;
};

export type SuggestedOrderTransactionKind =
  | 'SUGGESTED_REFUND';

export type SuggestedOutcomeExchangeLineItemInput = {
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type SuggestedOutcomeReturnLineItemInput = {
  id: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type TaxAppConfigureUserErrorCode =
  | 'TAX_PARTNER_ALREADY_ACTIVE'
  | 'TAX_PARTNER_NOT_FOUND'
  | 'TAX_PARTNER_STATE_UPDATE_FAILED';

export type TaxExemption =
  | 'CA_BC_COMMERCIAL_FISHERY_EXEMPTION'
  | 'CA_BC_CONTRACTOR_EXEMPTION'
  | 'CA_BC_PRODUCTION_AND_MACHINERY_EXEMPTION'
  | 'CA_BC_RESELLER_EXEMPTION'
  | 'CA_BC_SUB_CONTRACTOR_EXEMPTION'
  | 'CA_DIPLOMAT_EXEMPTION'
  | 'CA_MB_COMMERCIAL_FISHERY_EXEMPTION'
  | 'CA_MB_FARMER_EXEMPTION'
  | 'CA_MB_RESELLER_EXEMPTION'
  | 'CA_NS_COMMERCIAL_FISHERY_EXEMPTION'
  | 'CA_NS_FARMER_EXEMPTION'
  | 'CA_ON_PURCHASE_EXEMPTION'
  | 'CA_PE_COMMERCIAL_FISHERY_EXEMPTION'
  | 'CA_SK_COMMERCIAL_FISHERY_EXEMPTION'
  | 'CA_SK_CONTRACTOR_EXEMPTION'
  | 'CA_SK_FARMER_EXEMPTION'
  | 'CA_SK_PRODUCTION_AND_MACHINERY_EXEMPTION'
  | 'CA_SK_RESELLER_EXEMPTION'
  | 'CA_SK_SUB_CONTRACTOR_EXEMPTION'
  | 'CA_STATUS_CARD_EXEMPTION'
  | 'EU_REVERSE_CHARGE_EXEMPTION_RULE'
  | 'US_AK_RESELLER_EXEMPTION'
  | 'US_AL_RESELLER_EXEMPTION'
  | 'US_AR_RESELLER_EXEMPTION'
  | 'US_AZ_RESELLER_EXEMPTION'
  | 'US_CA_RESELLER_EXEMPTION'
  | 'US_CO_RESELLER_EXEMPTION'
  | 'US_CT_RESELLER_EXEMPTION'
  | 'US_DC_RESELLER_EXEMPTION'
  | 'US_DE_RESELLER_EXEMPTION'
  | 'US_FL_RESELLER_EXEMPTION'
  | 'US_GA_RESELLER_EXEMPTION'
  | 'US_HI_RESELLER_EXEMPTION'
  | 'US_IA_RESELLER_EXEMPTION'
  | 'US_ID_RESELLER_EXEMPTION'
  | 'US_IL_RESELLER_EXEMPTION'
  | 'US_IN_RESELLER_EXEMPTION'
  | 'US_KS_RESELLER_EXEMPTION'
  | 'US_KY_RESELLER_EXEMPTION'
  | 'US_LA_RESELLER_EXEMPTION'
  | 'US_MA_RESELLER_EXEMPTION'
  | 'US_MD_RESELLER_EXEMPTION'
  | 'US_ME_RESELLER_EXEMPTION'
  | 'US_MI_RESELLER_EXEMPTION'
  | 'US_MN_RESELLER_EXEMPTION'
  | 'US_MO_RESELLER_EXEMPTION'
  | 'US_MS_RESELLER_EXEMPTION'
  | 'US_MT_RESELLER_EXEMPTION'
  | 'US_NC_RESELLER_EXEMPTION'
  | 'US_ND_RESELLER_EXEMPTION'
  | 'US_NE_RESELLER_EXEMPTION'
  | 'US_NH_RESELLER_EXEMPTION'
  | 'US_NJ_RESELLER_EXEMPTION'
  | 'US_NM_RESELLER_EXEMPTION'
  | 'US_NV_RESELLER_EXEMPTION'
  | 'US_NY_RESELLER_EXEMPTION'
  | 'US_OH_RESELLER_EXEMPTION'
  | 'US_OK_RESELLER_EXEMPTION'
  | 'US_OR_RESELLER_EXEMPTION'
  | 'US_PA_RESELLER_EXEMPTION'
  | 'US_RI_RESELLER_EXEMPTION'
  | 'US_SC_RESELLER_EXEMPTION'
  | 'US_SD_RESELLER_EXEMPTION'
  | 'US_TN_RESELLER_EXEMPTION'
  | 'US_TX_RESELLER_EXEMPTION'
  | 'US_UT_RESELLER_EXEMPTION'
  | 'US_VA_RESELLER_EXEMPTION'
  | 'US_VT_RESELLER_EXEMPTION'
  | 'US_WA_RESELLER_EXEMPTION'
  | 'US_WI_RESELLER_EXEMPTION'
  | 'US_WV_RESELLER_EXEMPTION'
  | 'US_WY_RESELLER_EXEMPTION';

export type TaxPartnerState =
  | 'ACTIVE'
  | 'PENDING'
  | 'READY';

export type TaxSummaryCreateUserErrorCode =
  | 'GENERAL_ERROR'
  | 'ORDER_NOT_FOUND';

export type ThemeCreateUserErrorCode =
  | 'INVALID_THEME_ROLE_FOR_THEME_CREATION'
  | 'INVALID_ZIP'
  | 'THEME_CREATION_NOT_ALLOWED_FOR_THEME_LIMITED_PLAN'
  | 'ZIP_IS_EMPTY'
  | 'ZIP_TOO_LARGE';

export type ThemeDeleteUserErrorCode =
  | 'NOT_FOUND';

export type ThemeDuplicateUserErrorCode =
  | 'NOT_FOUND';

export type ThemeFilesCopyFileInput = {
  dstFilename: Scalars['String']['input'];
  srcFilename: Scalars['String']['input'];
};

export type ThemePublishUserErrorCode =
  | 'CANNOT_PUBLISH_THEME_DURING_INSTALL'
  | 'NOT_FOUND'
  | 'THEME_PUBLISH_NOT_AVAILABLE_FOR_THEME_LIMITED_PLAN';

export type ThemeRole =
  | 'ARCHIVED'
  | 'DEMO'
  | 'DEVELOPMENT'
  | 'LOCKED'
  | 'MAIN'
  | 'MOBILE'
  | 'UNPUBLISHED';

export type ThemeUpdateUserErrorCode =
  | 'INVALID'
  | 'NOT_FOUND'
  | 'TOO_LONG';

export type TransactionSortKeys =
  | 'CREATED_AT'
  | 'EXPIRES_AT';

export type TransactionVoidUserErrorCode =
  | 'AUTH_NOT_SUCCESSFUL'
  | 'AUTH_NOT_VOIDABLE'
  | 'GENERIC_ERROR'
  | 'TRANSACTION_NOT_FOUND';

export type TransferSortKeys =
  | 'CREATED_AT'
  | 'DESTINATION_NAME'
  | 'EXPECTED_SHIPMENT_ARRIVAL'
  | 'ID'
  | 'NAME'
  | 'ORIGIN_NAME'
  | 'SOURCE_NAME'
  | 'STATUS';

export type TranslatableResourceType =
  | 'ARTICLE'
  | 'ARTICLE_IMAGE'
  | 'BLOG'
  | 'COLLECTION'
  | 'COLLECTION_IMAGE'
  | 'DELIVERY_METHOD_DEFINITION'
  | 'EMAIL_TEMPLATE'
  | 'FILTER'
  | 'LINK'
  | 'MEDIA_IMAGE'
  | 'MENU'
  | 'METAFIELD'
  | 'METAOBJECT'
  | 'ONLINE_STORE_THEME'
  | 'ONLINE_STORE_THEME_APP_EMBED'
  | 'ONLINE_STORE_THEME_JSON_TEMPLATE'
  | 'ONLINE_STORE_THEME_LOCALE_CONTENT'
  | 'ONLINE_STORE_THEME_SECTION_GROUP'
  | 'ONLINE_STORE_THEME_SETTINGS_CATEGORY'
  | 'ONLINE_STORE_THEME_SETTINGS_DATA_SECTIONS'
  | 'PACKING_SLIP_TEMPLATE'
  | 'PAGE'
  | 'PAYMENT_GATEWAY'
  | 'PRODUCT'
  | 'PRODUCT_OPTION'
  | 'PRODUCT_OPTION_VALUE'
  | 'SELLING_PLAN'
  | 'SELLING_PLAN_GROUP'
  | 'SHOP'
  | 'SHOP_POLICY';

export type TranslationErrorCode =
  | 'BLANK'
  | 'FAILS_RESOURCE_VALIDATION'
  | 'INVALID'
  | 'INVALID_CODE'
  | 'INVALID_FORMAT'
  | 'INVALID_KEY_FOR_MODEL'
  | 'INVALID_LOCALE_FOR_MARKET'
  | 'INVALID_LOCALE_FOR_SHOP'
  | 'INVALID_MARKET_LOCALIZABLE_CONTENT'
  | 'INVALID_TRANSLATABLE_CONTENT'
  | 'INVALID_VALUE_FOR_HANDLE_TRANSLATION'
  | 'MARKET_CUSTOM_CONTENT_NOT_ALLOWED'
  | 'MARKET_DOES_NOT_EXIST'
  | 'MARKET_LOCALE_CREATION_FAILED'
  | 'RESOURCE_NOT_FOUND'
  | 'RESOURCE_NOT_MARKET_CUSTOMIZABLE'
  | 'RESOURCE_NOT_TRANSLATABLE'
  | 'TOO_MANY_KEYS_FOR_RESOURCE';

export type TranslationInput = {
  key: Scalars['String']['input'];
  locale: Scalars['String']['input'];
  marketId?: InputMaybe<Scalars['ID']['input']>;
  translatableContentDigest: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type UtmInput = {
  campaign: Scalars['String']['input'];
  medium: Scalars['String']['input'];
  source: Scalars['String']['input'];
};

export type UniqueMetafieldValueInput = {
  key: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
  value: Scalars['String']['input'];
};

export type UnitPriceMeasurementInput = {
  quantityUnit?: InputMaybe<UnitPriceMeasurementMeasuredUnit>;
  quantityValue?: InputMaybe<Scalars['Float']['input']>;
  referenceUnit?: InputMaybe<UnitPriceMeasurementMeasuredUnit>;
  referenceValue?: InputMaybe<Scalars['Int']['input']>;
};

export type UnitPriceMeasurementMeasuredType =
  | 'AREA'
  | 'COUNT'
  | 'LENGTH'
  | 'UNKNOWN'
  | 'VOLUME'
  | 'WEIGHT';

export type UnitPriceMeasurementMeasuredUnit =
  | 'CL'
  | 'CM'
  | 'FLOZ'
  | 'FT'
  | 'FT2'
  | 'G'
  | 'GAL'
  | 'IN'
  | 'ITEM'
  | 'KG'
  | 'L'
  | 'LB'
  | 'M'
  | 'M2'
  | 'M3'
  | 'MG'
  | 'ML'
  | 'MM'
  | 'OZ'
  | 'PT'
  | 'QT'
  | 'UNKNOWN'
  | 'YD';

export type UnitSystem =
  | 'IMPERIAL_SYSTEM'
  | 'METRIC_SYSTEM';

export type UpdateMediaInput = {
  alt?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  previewImageSource?: InputMaybe<Scalars['String']['input']>;
};

export type UrlRedirectBulkDeleteByIdsUserErrorCode =
  | 'IDS_EMPTY';

export type UrlRedirectBulkDeleteBySavedSearchUserErrorCode =
  | 'INVALID_SAVED_SEARCH_QUERY'
  | 'SAVED_SEARCH_NOT_FOUND';

export type UrlRedirectBulkDeleteBySearchUserErrorCode =
  | 'INVALID_SEARCH_ARGUMENT';

export type UrlRedirectErrorCode =
  | 'CREATE_FAILED'
  | 'DELETE_FAILED'
  | 'DOES_NOT_EXIST'
  | 'UPDATE_FAILED';

export type UrlRedirectImportErrorCode =
  | 'ALREADY_IMPORTED'
  | 'FILE_DOES_NOT_EXIST'
  | 'IN_PROGRESS'
  | 'NOT_FOUND';

export type UrlRedirectInput = {
  path?: InputMaybe<Scalars['String']['input']>;
  target?: InputMaybe<Scalars['String']['input']>;
};

export type UrlRedirectSortKeys =
  | 'ID'
  | 'PATH'
  | 'RELEVANCE';

export type ValidationCreateInput = {
  blockOnFailure?: InputMaybe<Scalars['Boolean']['input']>;
  enable?: InputMaybe<Scalars['Boolean']['input']>;
  functionHandle?: InputMaybe<Scalars['String']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ValidationSortKeys =
  | 'ID';

export type ValidationUpdateInput = {
  blockOnFailure?: InputMaybe<Scalars['Boolean']['input']>;
  enable?: InputMaybe<Scalars['Boolean']['input']>;
  metafields?: InputMaybe<Array<MetafieldInput>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ValidationUserErrorCode =
  | 'APP_NOT_AUTHORIZED'
  | 'BLANK'
  | 'CAPABILITY_VIOLATION'
  | 'CUSTOM_APP_FUNCTION_NOT_ELIGIBLE'
  | 'DISALLOWED_OWNER_TYPE'
  | 'FUNCTION_DOES_NOT_IMPLEMENT'
  | 'FUNCTION_NOT_FOUND'
  | 'FUNCTION_PENDING_DELETION'
  | 'INCLUSION'
  | 'INTERNAL_ERROR'
  | 'INVALID'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'MAX_VALIDATIONS_ACTIVATED'
  | 'MISSING_FUNCTION_IDENTIFIER'
  | 'MULTIPLE_FUNCTION_IDENTIFIERS'
  | 'NOT_FOUND'
  | 'PRESENT'
  | 'PUBLIC_APP_NOT_ALLOWED'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'UNSTRUCTURED_RESERVED_NAMESPACE';

export type VariantOptionValueInput = {
  id?: InputMaybe<Scalars['ID']['input']>;
  linkedMetafieldValue?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  optionId?: InputMaybe<Scalars['ID']['input']>;
  optionName?: InputMaybe<Scalars['String']['input']>;
};

export type WebPixelInput = {
  settings: Scalars['JSON']['input'];
};

export type WebPresenceCreateInput = {
  alternateLocales?: InputMaybe<Array<Scalars['String']['input']>>;
  defaultLocale: Scalars['String']['input'];
  domainId?: InputMaybe<Scalars['ID']['input']>;
  subfolderSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type WebPresenceUpdateInput = {
  alternateLocales?: InputMaybe<Array<Scalars['String']['input']>>;
  defaultLocale?: InputMaybe<Scalars['String']['input']>;
  subfolderSuffix?: InputMaybe<Scalars['String']['input']>;
};

export type WebhookSubscriptionFormat =
  | 'JSON'
  | 'XML';

export type WebhookSubscriptionInput = {
  filter?: InputMaybe<Scalars['String']['input']>;
  format?: InputMaybe<WebhookSubscriptionFormat>;
  includeFields?: InputMaybe<Array<Scalars['String']['input']>>;
  metafieldNamespaces?: InputMaybe<Array<Scalars['String']['input']>>;
  metafields?: InputMaybe<Array<HasMetafieldsMetafieldIdentifierInput>>;
  uri?: InputMaybe<Scalars['String']['input']>;
};

export type WebhookSubscriptionSortKeys =
  | 'CREATED_AT'
  | 'ID';

export type WebhookSubscriptionTopic =
  | 'APP_PURCHASES_ONE_TIME_UPDATE'
  | 'APP_SCOPES_UPDATE'
  | 'APP_SUBSCRIPTIONS_APPROACHING_CAPPED_AMOUNT'
  | 'APP_SUBSCRIPTIONS_UPDATE'
  | 'APP_UNINSTALLED'
  | 'ATTRIBUTED_SESSIONS_FIRST'
  | 'ATTRIBUTED_SESSIONS_LAST'
  | 'AUDIT_EVENTS_ADMIN_API_ACTIVITY'
  | 'BULK_OPERATIONS_FINISH'
  | 'CARTS_CREATE'
  | 'CARTS_UPDATE'
  | 'CHANNELS_DELETE'
  | 'CHECKOUTS_CREATE'
  | 'CHECKOUTS_DELETE'
  | 'CHECKOUTS_UPDATE'
  | 'CHECKOUT_AND_ACCOUNTS_CONFIGURATIONS_UPDATE'
  | 'COLLECTIONS_CREATE'
  | 'COLLECTIONS_DELETE'
  | 'COLLECTIONS_UPDATE'
  | 'COLLECTION_LISTINGS_ADD'
  | 'COLLECTION_LISTINGS_REMOVE'
  | 'COLLECTION_LISTINGS_UPDATE'
  | 'COLLECTION_PUBLICATIONS_CREATE'
  | 'COLLECTION_PUBLICATIONS_DELETE'
  | 'COLLECTION_PUBLICATIONS_UPDATE'
  | 'COMPANIES_CREATE'
  | 'COMPANIES_DELETE'
  | 'COMPANIES_UPDATE'
  | 'COMPANY_CONTACTS_CREATE'
  | 'COMPANY_CONTACTS_DELETE'
  | 'COMPANY_CONTACTS_UPDATE'
  | 'COMPANY_CONTACT_ROLES_ASSIGN'
  | 'COMPANY_CONTACT_ROLES_REVOKE'
  | 'COMPANY_LOCATIONS_CREATE'
  | 'COMPANY_LOCATIONS_DELETE'
  | 'COMPANY_LOCATIONS_UPDATE'
  | 'CUSTOMERS_CREATE'
  | 'CUSTOMERS_DELETE'
  | 'CUSTOMERS_DISABLE'
  | 'CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE'
  | 'CUSTOMERS_ENABLE'
  | 'CUSTOMERS_MARKETING_CONSENT_UPDATE'
  | 'CUSTOMERS_MERGE'
  | 'CUSTOMERS_PURCHASING_SUMMARY'
  | 'CUSTOMERS_UPDATE'
  | 'CUSTOMER_ACCOUNT_SETTINGS_UPDATE'
  | 'CUSTOMER_GROUPS_CREATE'
  | 'CUSTOMER_GROUPS_DELETE'
  | 'CUSTOMER_GROUPS_UPDATE'
  | 'CUSTOMER_JOINED_SEGMENT'
  | 'CUSTOMER_LEFT_SEGMENT'
  | 'CUSTOMER_PAYMENT_METHODS_CREATE'
  | 'CUSTOMER_PAYMENT_METHODS_REVOKE'
  | 'CUSTOMER_PAYMENT_METHODS_UPDATE'
  | 'CUSTOMER_TAGS_ADDED'
  | 'CUSTOMER_TAGS_REMOVED'
  | 'DELIVERY_PROMISE_SETTINGS_UPDATE'
  | 'DISCOUNTS_CREATE'
  | 'DISCOUNTS_DELETE'
  | 'DISCOUNTS_REDEEMCODE_ADDED'
  | 'DISCOUNTS_REDEEMCODE_REMOVED'
  | 'DISCOUNTS_UPDATE'
  | 'DISPUTES_CREATE'
  | 'DISPUTES_UPDATE'
  | 'DOMAINS_CREATE'
  | 'DOMAINS_DESTROY'
  | 'DOMAINS_UPDATE'
  | 'DRAFT_ORDERS_CREATE'
  | 'DRAFT_ORDERS_DELETE'
  | 'DRAFT_ORDERS_UPDATE'
  | 'FINANCE_APP_STAFF_MEMBER_DELETE'
  | 'FINANCE_APP_STAFF_MEMBER_GRANT'
  | 'FINANCE_APP_STAFF_MEMBER_REVOKE'
  | 'FINANCE_APP_STAFF_MEMBER_UPDATE'
  | 'FINANCE_KYC_INFORMATION_UPDATE'
  | 'FULFILLMENTS_CREATE'
  | 'FULFILLMENTS_UPDATE'
  | 'FULFILLMENT_EVENTS_CREATE'
  | 'FULFILLMENT_EVENTS_DELETE'
  | 'FULFILLMENT_HOLDS_ADDED'
  | 'FULFILLMENT_HOLDS_RELEASED'
  | 'FULFILLMENT_ORDERS_CANCELLATION_REQUEST_ACCEPTED'
  | 'FULFILLMENT_ORDERS_CANCELLATION_REQUEST_REJECTED'
  | 'FULFILLMENT_ORDERS_CANCELLATION_REQUEST_SUBMITTED'
  | 'FULFILLMENT_ORDERS_CANCELLED'
  | 'FULFILLMENT_ORDERS_FULFILLMENT_REQUEST_ACCEPTED'
  | 'FULFILLMENT_ORDERS_FULFILLMENT_REQUEST_REJECTED'
  | 'FULFILLMENT_ORDERS_FULFILLMENT_REQUEST_SUBMITTED'
  | 'FULFILLMENT_ORDERS_FULFILLMENT_SERVICE_FAILED_TO_COMPLETE'
  | 'FULFILLMENT_ORDERS_HOLD_RELEASED'
  | 'FULFILLMENT_ORDERS_LINE_ITEMS_PREPARED_FOR_LOCAL_DELIVERY'
  | 'FULFILLMENT_ORDERS_LINE_ITEMS_PREPARED_FOR_PICKUP'
  | 'FULFILLMENT_ORDERS_MERGED'
  | 'FULFILLMENT_ORDERS_MOVED'
  | 'FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE'
  | 'FULFILLMENT_ORDERS_PLACED_ON_HOLD'
  | 'FULFILLMENT_ORDERS_RESCHEDULED'
  | 'FULFILLMENT_ORDERS_SCHEDULED_FULFILLMENT_ORDER_READY'
  | 'FULFILLMENT_ORDERS_SPLIT'
  | 'INVENTORY_ITEMS_CREATE'
  | 'INVENTORY_ITEMS_DELETE'
  | 'INVENTORY_ITEMS_UPDATE'
  | 'INVENTORY_LEVELS_CONNECT'
  | 'INVENTORY_LEVELS_DISCONNECT'
  | 'INVENTORY_LEVELS_UPDATE'
  | 'INVENTORY_SHIPMENTS_ADD_ITEMS'
  | 'INVENTORY_SHIPMENTS_CREATE'
  | 'INVENTORY_SHIPMENTS_DELETE'
  | 'INVENTORY_SHIPMENTS_MARK_IN_TRANSIT'
  | 'INVENTORY_SHIPMENTS_RECEIVE_ITEMS'
  | 'INVENTORY_SHIPMENTS_REMOVE_ITEMS'
  | 'INVENTORY_SHIPMENTS_UPDATE_ITEM_QUANTITIES'
  | 'INVENTORY_SHIPMENTS_UPDATE_TRACKING'
  | 'INVENTORY_TRANSFERS_ADD_ITEMS'
  | 'INVENTORY_TRANSFERS_CANCEL'
  | 'INVENTORY_TRANSFERS_COMPLETE'
  | 'INVENTORY_TRANSFERS_READY_TO_SHIP'
  | 'INVENTORY_TRANSFERS_REMOVE_ITEMS'
  | 'INVENTORY_TRANSFERS_UPDATE_ITEM_QUANTITIES'
  | 'LOCALES_CREATE'
  | 'LOCALES_DESTROY'
  | 'LOCALES_UPDATE'
  | 'LOCATIONS_ACTIVATE'
  | 'LOCATIONS_CREATE'
  | 'LOCATIONS_DEACTIVATE'
  | 'LOCATIONS_DELETE'
  | 'LOCATIONS_UPDATE'
  | 'MARKETS_BACKUP_REGION_UPDATE'
  | 'MARKETS_CREATE'
  | 'MARKETS_DELETE'
  | 'MARKETS_UPDATE'
  | 'METAFIELD_DEFINITIONS_CREATE'
  | 'METAFIELD_DEFINITIONS_DELETE'
  | 'METAFIELD_DEFINITIONS_UPDATE'
  | 'METAOBJECTS_CREATE'
  | 'METAOBJECTS_DELETE'
  | 'METAOBJECTS_UPDATE'
  | 'ORDERS_CANCELLED'
  | 'ORDERS_CREATE'
  | 'ORDERS_DELETE'
  | 'ORDERS_EDITED'
  | 'ORDERS_FULFILLED'
  | 'ORDERS_LINK_REQUESTED'
  | 'ORDERS_PAID'
  | 'ORDERS_PARTIALLY_FULFILLED'
  | 'ORDERS_RISK_ASSESSMENT_CHANGED'
  | 'ORDERS_SHOPIFY_PROTECT_ELIGIBILITY_CHANGED'
  | 'ORDERS_UPDATED'
  | 'ORDER_TRANSACTIONS_CREATE'
  | 'PAYMENT_SCHEDULES_DUE'
  | 'PAYMENT_TERMS_CREATE'
  | 'PAYMENT_TERMS_DELETE'
  | 'PAYMENT_TERMS_UPDATE'
  | 'PRODUCTS_CREATE'
  | 'PRODUCTS_DELETE'
  | 'PRODUCTS_UPDATE'
  | 'PRODUCT_FEEDS_CREATE'
  | 'PRODUCT_FEEDS_FULL_SYNC'
  | 'PRODUCT_FEEDS_FULL_SYNC_FINISH'
  | 'PRODUCT_FEEDS_INCREMENTAL_SYNC'
  | 'PRODUCT_FEEDS_UPDATE'
  | 'PRODUCT_LISTINGS_ADD'
  | 'PRODUCT_LISTINGS_REMOVE'
  | 'PRODUCT_LISTINGS_UPDATE'
  | 'PRODUCT_PUBLICATIONS_CREATE'
  | 'PRODUCT_PUBLICATIONS_DELETE'
  | 'PRODUCT_PUBLICATIONS_UPDATE'
  | 'PROFILES_CREATE'
  | 'PROFILES_DELETE'
  | 'PROFILES_UPDATE'
  | 'PUBLICATIONS_DELETE'
  | 'REFUNDS_CREATE'
  | 'RETURNS_APPROVE'
  | 'RETURNS_CANCEL'
  | 'RETURNS_CLOSE'
  | 'RETURNS_DECLINE'
  | 'RETURNS_PROCESS'
  | 'RETURNS_REOPEN'
  | 'RETURNS_REQUEST'
  | 'RETURNS_UPDATE'
  | 'REVERSE_DELIVERIES_ATTACH_DELIVERABLE'
  | 'REVERSE_FULFILLMENT_ORDERS_DISPOSE'
  | 'SCHEDULED_PRODUCT_LISTINGS_ADD'
  | 'SCHEDULED_PRODUCT_LISTINGS_REMOVE'
  | 'SCHEDULED_PRODUCT_LISTINGS_UPDATE'
  | 'SEGMENTS_CREATE'
  | 'SEGMENTS_DELETE'
  | 'SEGMENTS_UPDATE'
  | 'SELLING_PLAN_GROUPS_CREATE'
  | 'SELLING_PLAN_GROUPS_DELETE'
  | 'SELLING_PLAN_GROUPS_UPDATE'
  | 'SHIPPING_ADDRESSES_CREATE'
  | 'SHIPPING_ADDRESSES_UPDATE'
  | 'SHOP_UPDATE'
  | 'SUBSCRIPTION_BILLING_ATTEMPTS_CHALLENGED'
  | 'SUBSCRIPTION_BILLING_ATTEMPTS_FAILURE'
  | 'SUBSCRIPTION_BILLING_ATTEMPTS_SUCCESS'
  | 'SUBSCRIPTION_BILLING_CYCLES_SKIP'
  | 'SUBSCRIPTION_BILLING_CYCLES_UNSKIP'
  | 'SUBSCRIPTION_BILLING_CYCLE_EDITS_CREATE'
  | 'SUBSCRIPTION_BILLING_CYCLE_EDITS_DELETE'
  | 'SUBSCRIPTION_BILLING_CYCLE_EDITS_UPDATE'
  | 'SUBSCRIPTION_CONTRACTS_ACTIVATE'
  | 'SUBSCRIPTION_CONTRACTS_CANCEL'
  | 'SUBSCRIPTION_CONTRACTS_CREATE'
  | 'SUBSCRIPTION_CONTRACTS_EXPIRE'
  | 'SUBSCRIPTION_CONTRACTS_FAIL'
  | 'SUBSCRIPTION_CONTRACTS_PAUSE'
  | 'SUBSCRIPTION_CONTRACTS_UPDATE'
  | 'TAX_PARTNERS_UPDATE'
  | 'TAX_SERVICES_CREATE'
  | 'TAX_SERVICES_UPDATE'
  | 'TAX_SUMMARIES_CREATE'
  | 'TENDER_TRANSACTIONS_CREATE'
  | 'THEMES_CREATE'
  | 'THEMES_DELETE'
  | 'THEMES_PUBLISH'
  | 'THEMES_UPDATE'
  | 'VARIANTS_IN_STOCK'
  | 'VARIANTS_OUT_OF_STOCK';

export type WeightInput = {
  unit: WeightUnit;
  value: Scalars['Float']['input'];
};

export type WeightUnit =
  | 'GRAMS'
  | 'KILOGRAMS'
  | 'OUNCES'
  | 'POUNDS';

export type TrackBridgeCurrentAppInstallationQueryVariables = Exact<{ [key: string]: never; }>;


export type TrackBridgeCurrentAppInstallationQuery = { currentAppInstallation: { id: string } };

export type TrackBridgeAppDataMetafieldsSetMutationVariables = Exact<{
  metafields: Array<MetafieldsSetInput> | MetafieldsSetInput;
}>;


export type TrackBridgeAppDataMetafieldsSetMutation = { metafieldsSet?: { metafields?: Array<{ namespace: string, key: string, value: string }> | null, userErrors: Array<{ field?: Array<string> | null, message: string }> } | null };

export type BackfillOrdersQueryVariables = Exact<{
  query: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
}>;


export type BackfillOrdersQuery = { orders: { pageInfo: { hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ id: string, legacyResourceId: string, name: string, email?: string | null, phone?: string | null, createdAt: string, customer?: { firstName?: string | null, lastName?: string | null, email?: string | null, phone?: string | null } | null, shippingAddress?: { name?: string | null, firstName?: string | null, lastName?: string | null, phone?: string | null, countryCodeV2?: CountryCode | null } | null, lineItems: { nodes: Array<{ title: string, name: string, quantity: number }> }, fulfillments: Array<{ id: string, legacyResourceId: string, name: string, status: FulfillmentStatus, createdAt: string, updatedAt: string, service?: { handle: string } | null, trackingInfo: Array<{ number?: string | null, company?: string | null, url?: string | null }>, fulfillmentLineItems: { nodes: Array<{ quantity?: number | null, lineItem: { title: string, name: string } }> } }> }> } };

export type TrackBridgeFlowTriggerReceiveMutationVariables = Exact<{
  handle: Scalars['String']['input'];
  payload: Scalars['JSON']['input'];
}>;


export type TrackBridgeFlowTriggerReceiveMutation = { flowTriggerReceive?: { userErrors: Array<{ field?: Array<string> | null, message: string }> } | null };

export type TrackBridgeFulfillmentEventCreateMutationVariables = Exact<{
  fulfillmentEvent: FulfillmentEventInput;
}>;


export type TrackBridgeFulfillmentEventCreateMutation = { fulfillmentEventCreate?: { fulfillmentEvent?: { id: string, status: FulfillmentEventStatus, happenedAt: string } | null, userErrors: Array<{ field?: Array<string> | null, message: string }> } | null };

export type TrackBridgeFulfillmentEventsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrackBridgeFulfillmentEventsQuery = { fulfillment?: { id: string, events: { nodes: Array<{ id: string, status: FulfillmentEventStatus, happenedAt: string }> } } | null };

export type TrackBridgeFulfillmentTrackingInfoUpdateMutationVariables = Exact<{
  fulfillmentId: Scalars['ID']['input'];
  trackingInfoInput: FulfillmentTrackingInput;
  notifyCustomer?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type TrackBridgeFulfillmentTrackingInfoUpdateMutation = { fulfillmentTrackingInfoUpdate?: { fulfillment?: { id: string, trackingInfo: Array<{ number?: string | null, url?: string | null }> } | null, userErrors: Array<{ field?: Array<string> | null, message: string }> } | null };

export type TrackBridgeOrderCustomerQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrackBridgeOrderCustomerQuery = { order?: { id: string, customer?: { id: string } | null } | null };

export type TrackBridgeShopCountryQueryVariables = Exact<{ [key: string]: never; }>;


export type TrackBridgeShopCountryQuery = { shop: { shopAddress: { countryCodeV2?: CountryCode | null } } };

export type TrackBridgeShopTimeZoneQueryVariables = Exact<{ [key: string]: never; }>;


export type TrackBridgeShopTimeZoneQuery = { shop: { ianaTimezone: string } };
