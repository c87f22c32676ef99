package io.cob.bus;

import java.util.Locale;

/** Why {@link SignedBus} refused a received envelope. */
public enum RefusalReason {
  /** It carries no signature. */
  UNSIGNED,
  /** Its signature is malformed or does not match its content. */
  BAD_SIGNATURE,
  /** The receiving cloud shares no key with its source cloud, or it was not signed for it. */
  UNKNOWN_PAIR,
  /** It names another target cloud than the one that received it. */
  WRONG_TARGET,
  /** It was sent longer ago than the maximum age. */
  STALE,
  /** It was sent later than now plus the allowed clock skew. */
  FUTURE,
  /** The same message id was accepted recently (within the replay window). */
  REPLAY;

  /** The form used in logs and metrics: {@code bad_signature}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
