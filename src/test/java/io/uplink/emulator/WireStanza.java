package io.uplink.emulator;

import java.time.Instant;

/**
 * One top-level element that crossed the wire on one connection: a stream header, a nonza ({@code
 * <auth>}, {@code <success/>}, features, stream close) or a stanza.
 *
 * <p>Outbound text is exactly what the emulator wrote. Inbound text is the element as parsed and
 * written out again (namespace prefixes normalised to default namespaces, attribute order kept), so
 * a test can assert on content without depending on the client's serialisation quirks. Immutable.
 */
public record WireStanza(String connectionId, Direction direction, String xml, Instant at) {

  /** Which way the element travelled, seen from the emulator. */
  public enum Direction {
    /** Client to emulator. */
    INBOUND,
    /** Emulator to client. */
    OUTBOUND
  }
}
