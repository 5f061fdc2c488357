package io.uplink.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed XML element: what the emulator's {@link StanzaReader} makes of one top-level element of
 * the client's stream. Attributes are keyed by local name ({@code xml:lang} keeps its prefix). Text
 * is the concatenated character data directly inside this element. Immutable.
 */
record XmlElement(
    String name,
    String namespace,
    Map<String, String> attributes,
    List<XmlElement> children,
    String text) {

  XmlElement {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = List.copyOf(children);
  }

  boolean is(String localName, String namespaceUri) {
    return name.equals(localName) && namespace.equals(namespaceUri);
  }

  String attribute(String localName) {
    return attributes.get(localName);
  }

  Optional<XmlElement> child(String localName, String namespaceUri) {
    return children.stream().filter(c -> c.is(localName, namespaceUri)).findFirst();
  }

  /**
   * Writes the element out again, declaring a default namespace wherever it differs from the
   * parent's.
   */
  String toXml(String parentNamespace) {
    StringBuilder out = new StringBuilder(64 + text.length());
    write(out, parentNamespace);
    return out.toString();
  }

  /** The start tag with its attributes only, for stream headers whose element stays open. */
  String startTag() {
    StringBuilder out = new StringBuilder("<").append(name);
    appendAttributes(out, namespace);
    return out.append('>').toString();
  }

  private void write(StringBuilder out, String parentNamespace) {
    out.append('<').append(name);
    appendAttributes(out, parentNamespace);
    if (children.isEmpty() && text.isEmpty()) {
      out.append("/>");
      return;
    }
    out.append('>').append(XmlEscaping.text(text));
    for (XmlElement child : children) {
      child.write(out, namespace);
    }
    out.append("</").append(name).append('>');
  }

  private void appendAttributes(StringBuilder out, String parentNamespace) {
    if (!namespace.equals(parentNamespace)) {
      out.append(" xmlns=\"").append(XmlEscaping.attribute(namespace)).append('"');
    }
    attributes.forEach(
        (key, value) ->
            out.append(' ')
                .append(key)
                .append("=\"")
                .append(XmlEscaping.attribute(value))
                .append('"'));
  }
}
