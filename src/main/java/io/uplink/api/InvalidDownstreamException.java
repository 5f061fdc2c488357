package io.uplink.api;

/**
 * A downstream message that CCS would refuse (ccs-protocol.md §3.1, §4.4), caught before it is
 * sent. The message names the field at fault and never contains a registration token in full.
 */
public final class InvalidDownstreamException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidDownstreamException(String message) {
    super(message);
  }
}
