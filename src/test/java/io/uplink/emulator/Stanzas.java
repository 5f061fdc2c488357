package io.uplink.emulator;

/**
 * Builds the exact XML the emulator writes, in the shapes of ccs-protocol.md §1.4, §2.1, §3.5 and
 * §5. Stateless.
 */
final class Stanzas {

  static final String GCM_NAMESPACE = "google:mobile:data";
  static final String SASL_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-sasl";
  static final String BIND_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-bind";
  static final String SESSION_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-session";
  static final String PING_NAMESPACE = "urn:xmpp:ping";
  static final String STANZAS_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-stanzas";
  static final String STREAM_CLOSE = "</stream:stream>";

  private Stanzas() {}

  static String streamHeader(String from, String streamId) {
    return "<stream:stream from=\""
        + XmlEscaping.attribute(from)
        + "\" id=\""
        + streamId
        + "\" version=\"1.0\" xmlns:stream=\"http://etherx.jabber.org/streams\""
        + " xmlns=\"jabber:client\">";
  }

  static String saslFeatures() {
    return "<stream:features><mechanisms xmlns=\""
        + SASL_NAMESPACE
        + "\"><mechanism>X-OAUTH2</mechanism>"
        + "<mechanism>X-GOOGLE-TOKEN</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
  }

  static String bindFeatures() {
    return "<stream:features><bind xmlns=\""
        + BIND_NAMESPACE
        + "\"/><session xmlns=\""
        + SESSION_NAMESPACE
        + "\"/></stream:features>";
  }

  static String saslSuccess() {
    return "<success xmlns=\"" + SASL_NAMESPACE + "\"/>";
  }

  static String saslFailure(String condition) {
    return "<failure xmlns=\"" + SASL_NAMESPACE + "\"><" + condition + "/></failure>";
  }

  static String streamError(String condition) {
    return "<stream:error><"
        + condition
        + " xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>";
  }

  static String bindResult(String id, String jid) {
    return "<iq type=\"result\" id=\""
        + XmlEscaping.attribute(id)
        + "\"><bind xmlns=\""
        + BIND_NAMESPACE
        + "\"><jid>"
        + XmlEscaping.text(jid)
        + "</jid></bind></iq>";
  }

  /**
   * An empty IQ result; {@code from} echoes the request's {@code to} (Smack matches replies on it).
   */
  static String iqResult(String id, String from, String to) {
    return "<iq type=\"result\""
        + optionalAttribute("id", id)
        + optionalAttribute("from", from)
        + optionalAttribute("to", to)
        + "/>";
  }

  static String iqError(String id, String from, String to, String type, String condition) {
    return "<iq type=\"error\""
        + optionalAttribute("id", id)
        + optionalAttribute("from", from)
        + optionalAttribute("to", to)
        + "><error type=\""
        + type
        + "\"><"
        + condition
        + " xmlns=\""
        + STANZAS_NAMESPACE
        + "\"/></error></iq>";
  }

  /**
   * An upstream message or receipt: {@code type="normal"}, from {@code devices@gcm.googleapis.com}
   * (§2.1, §3.6).
   */
  static String upstream(String senderId, String json) {
    return "<message to=\""
        + XmlEscaping.attribute(senderId)
        + "@gcm.googleapis.com\" from=\"devices@gcm.googleapis.com\""
        + " type=\"normal\"><gcm xmlns=\""
        + GCM_NAMESPACE
        + "\">"
        + XmlEscaping.text(json)
        + "</gcm></message>";
  }

  /** An ACK or NACK: no {@code type} attribute (§2.1). */
  static String ackOrNack(String json) {
    return "<message><gcm xmlns=\""
        + GCM_NAMESPACE
        + "\">"
        + XmlEscaping.text(json)
        + "</gcm></message>";
  }

  /** A control message, with the {@code data:} prefix of the docs' example (§3.9). */
  static String control(String json) {
    return "<message><data:gcm xmlns:data=\""
        + GCM_NAMESPACE
        + "\">"
        + XmlEscaping.text(json)
        + "</data:gcm></message>";
  }

  /** A stanza error echoing the stanza id and payload (§3.5). */
  static String messageError(String id, String to, String json, String text) {
    return "<message"
        + optionalAttribute("id", id)
        + " type=\"error\""
        + optionalAttribute("to", to)
        + "><gcm xmlns=\""
        + GCM_NAMESPACE
        + "\">"
        + XmlEscaping.text(json)
        + "</gcm>"
        + "<error code=\"400\" type=\"modify\"><bad-request xmlns=\""
        + STANZAS_NAMESPACE
        + "\"/><text xmlns=\""
        + STANZAS_NAMESPACE
        + "\">"
        + XmlEscaping.text(text)
        + "</text></error></message>";
  }

  private static String optionalAttribute(String name, String value) {
    return value == null ? "" : " " + name + "=\"" + XmlEscaping.attribute(value) + "\"";
  }
}
