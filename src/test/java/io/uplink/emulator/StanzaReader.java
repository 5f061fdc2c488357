package io.uplink.emulator;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one XMPP stream (from a stream header to its close) from a client, one top-level element at
 * a time, with StAX. A stream restart (after SASL success) needs a new instance on the same {@link
 * Reader}: the client sends nothing between {@code </auth>} and our {@code <success/>}, so no bytes
 * of the new stream can be stuck in this instance's buffer.
 *
 * <p>DTDs, entity references, comments and processing instructions are refused with a {@code
 * restricted-xml} stream error (RFC 6120 §11.1): DTD support and external entities are off, so
 * hostile XML is never expanded. Not thread-safe: owned by the connection's reader thread.
 */
final class StanzaReader {

  static final String STREAMS_NAMESPACE = "http://etherx.jabber.org/streams";

  private final XMLStreamReader xml;

  private StanzaReader(XMLStreamReader xml) {
    this.xml = xml;
  }

  /**
   * A factory configured for untrusted input; one per connection (factories are not guaranteed
   * thread-safe).
   */
  static XMLInputFactory hardenedFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

  static StanzaReader open(XMLInputFactory factory, Reader chars) throws XMLStreamException {
    return new StanzaReader(factory.createXMLStreamReader(chars));
  }

  /**
   * Blocks until the client's {@code <stream:stream>} start tag and returns it (without children).
   */
  XmlElement readStreamHeader() throws XMLStreamException, StreamErrorException {
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          XmlElement header =
              new XmlElement(qualifiedName(), namespace(), attributes(), List.of(), "");
          if (!xml.getLocalName().equals("stream")
              || !STREAMS_NAMESPACE.equals(xml.getNamespaceURI())) {
            throw new StreamErrorException(
                "invalid-namespace", "expected stream:stream, got " + header.startTag());
          }
          return header;
        }
        case XMLStreamConstants.SPACE, XMLStreamConstants.START_DOCUMENT -> {}
        case XMLStreamConstants.CHARACTERS -> requireWhitespace();
        default -> throw restricted(event);
      }
    }
  }

  /**
   * Blocks until the next top-level element of the stream and returns it, or returns {@code null}
   * when the client closed the stream with {@code </stream:stream>}. Whitespace between elements
   * (keepalives) is skipped.
   */
  XmlElement nextElement() throws XMLStreamException, StreamErrorException {
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          return readElement();
        }
        case XMLStreamConstants.END_ELEMENT, XMLStreamConstants.END_DOCUMENT -> {
          return null;
        }
        case XMLStreamConstants.SPACE -> {}
        case XMLStreamConstants.CHARACTERS -> requireWhitespace();
        default -> throw restricted(event);
      }
    }
  }

  private XmlElement readElement() throws XMLStreamException, StreamErrorException {
    String name = xml.getLocalName();
    String namespace = namespace();
    Map<String, String> attributes = attributes();
    List<XmlElement> children = new ArrayList<>(2);
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> children.add(readElement());
        case XMLStreamConstants.END_ELEMENT -> {
          return new XmlElement(name, namespace, attributes, children, text.toString());
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE, XMLStreamConstants.CDATA ->
            text.append(xml.getText());
        default -> throw restricted(event);
      }
    }
  }

  private void requireWhitespace() throws StreamErrorException {
    if (!xml.isWhiteSpace()) {
      throw new StreamErrorException("not-well-formed", "text outside any stanza");
    }
  }

  private StreamErrorException restricted(int event) {
    return new StreamErrorException(
        "restricted-xml", "restricted XML construct (StAX event " + event + ")");
  }

  private String qualifiedName() {
    String prefix = xml.getPrefix();
    return prefix == null || prefix.isEmpty()
        ? xml.getLocalName()
        : prefix + ":" + xml.getLocalName();
  }

  private String namespace() {
    String uri = xml.getNamespaceURI();
    return uri == null ? "" : uri;
  }

  private Map<String, String> attributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < xml.getAttributeCount(); i++) {
      String prefix = xml.getAttributePrefix(i);
      String key =
          "xml".equals(prefix)
              ? "xml:" + xml.getAttributeLocalName(i)
              : xml.getAttributeLocalName(i);
      attributes.put(key, xml.getAttributeValue(i));
    }
    return attributes;
  }
}
