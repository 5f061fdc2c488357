package io.uplink.emulator;

import java.io.IOException;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * The {@code <gcm xmlns="google:mobile:data">} payload as the tests' independent Smack client sees
 * it: just the JSON text. Immutable. {@link Provider} parses it; register it with {@code
 * ProviderManager.addExtensionProvider("gcm", "google:mobile:data", new
 * GcmTestElement.Provider())}. The type and its {@code ELEMENT} and {@code NAMESPACE} fields must
 * be public: Smack 4.4's {@code Stanza.getExtension(Class)} finds the qualified name by reflection
 * on them.
 */
public record GcmTestElement(String json) implements ExtensionElement {

  public static final String ELEMENT = "gcm";
  public static final String NAMESPACE = "google:mobile:data";

  @Override
  public String getElementName() {
    return ELEMENT;
  }

  @Override
  public String getNamespace() {
    return NAMESPACE;
  }

  @Override
  public CharSequence toXML(XmlEnvironment enclosingNamespace) {
    XmlStringBuilder xml = new XmlStringBuilder(this, enclosingNamespace);
    xml.rightAngleBracket();
    xml.escape(json);
    xml.closeElement(this);
    return xml;
  }

  /** Reads the element's text, whatever namespace prefix the server used. Stateless. */
  static final class Provider extends ExtensionElementProvider<GcmTestElement> {
    @Override
    public GcmTestElement parse(
        XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
        throws XmlPullParserException, IOException, SmackParsingException {
      return new GcmTestElement(parser.nextText());
    }
  }
}
