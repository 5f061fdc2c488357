package io.uplink.xmpp;

import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses a {@code gcm} element in the {@code google:mobile:data} namespace, whatever prefix CCS
 * used ({@code <data:gcm xmlns:data=…>} appears in the docs). Only text is allowed inside: a child
 * element fails the parse, and the stanza goes to the connection's parsing-exception callback.
 * Stateless and thread-safe.
 */
public final class GcmElementProvider extends ExtensionElementProvider<GcmElement> {

  @Override
  public GcmElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
      throws XmlPullParserException, IOException {
    return new GcmElement(parser.nextText());
  }
}
