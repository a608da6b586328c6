/**
 * What the CRM-agnostic sync engine needs from one CRM. A connector (Salesforce now, HubSpot
 * next) turns the CRM's records into these plain shapes and its failures into the typed errors
 * below; the engine never sees a CRM's field names or HTTP.
 */

export type CrmProvider = "salesforce" | "hubspot";

/** Pulled in this order: deals and contacts point at accounts. */
export const CRM_OBJECTS = ["accounts", "deals", "contacts"] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];

interface CrmRecordBase {
  /** Our external id, with the CRM's prefix (`sf:001…`, `hs:…`), as the CSV importer stores it. */
  externalId: string;
  /** The CRM's last-modified stamp (Salesforce SystemModstamp): the pull's cursor. */
  modifiedAt: Date;
  /** Deleted in the CRM: archived here, never dropped. */
  deleted: boolean;
}

export interface CrmAccount extends CrmRecordBase {
  name: string;
  industry: string | null;
  annualRevenueCents: number | null;
  ownerEmail: string | null;
}

export interface CrmDeal extends CrmRecordBase {
  title: string | null;
  accountExternalId: string | null;
  amountCents: number | null;
  /** Local date (YYYY-MM-DD). */
  closeDate: string | null;
  /** The CRM's stage, as the CRM spells it (mapped by configuration). */
  stage: string | null;
  /** HubSpot's pipeline id (`pipelineId:stageId` in the stage map wins over the stage id); Salesforce has none. */
  pipeline?: string | null;
  ownerEmail: string | null;
  /**
   * The key our push gave the record in the CRM's external id field, when our push made it: the
   * pull links it to our deal instead of creating a second one (a push may have made it and not
   * yet recorded its id). Absent when the CRM has no such field.
   */
  pushKey?: string | null;
}

export interface CrmContact extends CrmRecordBase {
  name: string;
  accountExternalId: string | null;
  email: string | null;
  title: string | null;
  phone: string | null;
}

export interface CrmRecords {
  accounts: CrmAccount;
  deals: CrmDeal;
  contacts: CrmContact;
}

export interface CrmPage<O extends CrmObject> {
  records: CrmRecords[O][];
  /** Records the whole query will return (for the progress line). */
  total: number;
  /**
   * False for a page outside the modified order (HubSpot's archived listing): it is applied, but
   * the cursor stays where the ordered pages left it. Default true.
   */
  moveCursor?: boolean;
}

/** One line of `doctor`: a check that passed or failed, and what to do about it. */
export interface CrmCheck {
  ok: boolean;
  text: string;
}

export interface CrmConnector {
  readonly provider: CrmProvider;
  /**
   * Records changed at or after `since` (everything when null), deleted ones included, in
   * (modifiedAt, id) order, page by page. Throws CrmAuthError, CrmRateLimitError or CrmError.
   */
  pull<O extends CrmObject>(object: O, since: Date | null): AsyncIterable<CrmPage<O>>;
  /** The connection and the permissions the sync needs (doctor). */
  check(): Promise<CrmCheck[]>;
  /**
   * The external ids of every live record, in pages (ids only): the reconcile archives what is here
   * but no longer in the CRM (deleted past the CRM's recycle bin, merged, purged).
   */
  liveIds?(object: CrmObject): AsyncIterable<string[]>;
}

/** A CRM failure, with the CRM's own code and message. */
export class CrmError extends Error {
  override name = "CrmError";
  constructor(
    message: string,
    readonly code: string,
    /** The CRM's own words, without our prefix (shown to the person whose record it refused). */
    readonly crmMessage: string = message,
  ) {
    super(message);
  }
}

/** The credentials were refused, or a fresh session was refused again: a person must act. */
export class CrmAuthError extends CrmError {
  override name = "CrmAuthError";
}

/** The CRM said slow down (429) or the API budget is spent (REQUEST_LIMIT_EXCEEDED): back off. */
export class CrmRateLimitError extends CrmError {
  override name = "CrmRateLimitError";
  constructor(
    message: string,
    code: string,
    /** How long the CRM asks us to wait, when it says (the schedule backs off at least this long). */
    readonly retryAfterMs?: number,
  ) {
    super(message, code);
  }
}

/**
 * The CRM lacks something the push needs and a person must add it (the external id field, Create or
 * Edit access on an object): the push holds, the pull goes on.
 */
export class CrmSetupError extends CrmError {
  override name = "CrmSetupError";
}
