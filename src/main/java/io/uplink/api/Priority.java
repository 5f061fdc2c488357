package io.uplink.api;

/** Downstream delivery priority (ccs-protocol.md §3.1); on iOS, APNs priority 5 and 10. */
public enum Priority {
  NORMAL("normal"),
  HIGH("high");

  private final String wire;

  Priority(String wire) {
    this.wire = wire;
  }

  /** The value sent in {@code priority}. */
  public String wire() {
    return wire;
  }
}
