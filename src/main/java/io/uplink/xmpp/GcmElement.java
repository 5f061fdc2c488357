package io.uplink.xmpp;

import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * The {@code <gcm xmlns="google:mobile:data">} element that carries CCS's JSON inside a {@code
 * <message>} (ccs-protocol.md §2.1). The JSON is the element's text, XML-escaped on the way out.
 * Immutable.
 */
public final class GcmElement implements ExtensionElement {

  public static final String ELEMENT = "gcm";
  public static final String NAMESPACE = "google:mobile:data";
  public static final QName QNAME = new QName(NAMESPACE, ELEMENT);

  private final String json;

  public GcmElement(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  @Override
  public String getElementName() {
    return ELEMENT;
  }

  @Override
  public String getNamespace() {
    return NAMESPACE;
  }

  @Override
  public XmlStringBuilder toXML(XmlEnvironment enclosingNamespace) {
    return new XmlStringBuilder(this, enclosingNamespace)
        .rightAngleBracket()
        .escape(json)
        .closeElement(this);
  }
}
