package io.uplink.ccs;

/** Why an inbound stanza was rejected; each reason is counted and logged on its own. */
public enum RejectReason {
  /** The stanza's XML could not be parsed (for example elements inside {@code <gcm>}). */
  MALFORMED_XML,
  /** The stanza text is not a JSON object. */
  MALFORMED_JSON,
  /** The JSON nests deeper than any CCS message does: input built to exhaust the parser. */
  TOO_DEEP,
  /** A documented field has the wrong JSON type (for example a number where a string belongs). */
  WRONG_TYPE,
  /** A required field is absent, null or blank. */
  MISSING_FIELD,
  /**
   * An id or token holds an unpaired UTF-16 surrogate, which JSON can carry as an escape: not text,
   * and once encoded to store, hash or ack it, no longer told apart from other ids. Not acked: the
   * ack could not name it either.
   */
  INVALID_TEXT,
  /** A field is longer than the gateway stores (ids and tokens). */
  FIELD_TOO_LONG,
  /** The {@code data} payload is over the 4 KB that CCS allows. */
  OVERSIZED_DATA,
  /** The whole stanza is over the configured hard limit. */
  OVERSIZED_STANZA,
  /** The {@code category} is not one of the configured application IDs. */
  UNKNOWN_CATEGORY
}
