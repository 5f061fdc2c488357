package io.uplink.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GcmElementProviderTest {

  @BeforeAll
  static void registerProvider() {
    ProviderManager.addExtensionProvider(
        GcmElement.ELEMENT, GcmElement.NAMESPACE, new GcmElementProvider());
  }

  private static String jsonOf(String stanzaXml) throws Exception {
    Stanza stanza = PacketParserUtils.parseStanza(stanzaXml);
    return stanza.getExtension(GcmElement.class).json();
  }

  @Test
  void prefixedElementFromTheDocsIsFoundByNamespace() throws Exception {
    // ccs-protocol.md §3.9 uses <data:gcm xmlns:data="google:mobile:data">.
    assertEquals(
        "{\"message_type\":\"control\",\"control_type\":\"CONNECTION_DRAINING\"}",
        jsonOf(
            "<message><data:gcm xmlns:data=\"google:mobile:data\">"
                + "{\"message_type\":\"control\",\"control_type\":\"CONNECTION_DRAINING\"}"
                + "</data:gcm></message>"));
  }

  @Test
  void escapedJsonIsUnescaped() throws Exception {
    assertEquals(
        "{\"a\":\"<b>&\"}",
        jsonOf(
            "<message type=\"normal\"><gcm xmlns=\"google:mobile:data\">"
                + "{&quot;a&quot;:&quot;&lt;b&gt;&amp;&quot;}</gcm></message>"));
  }

  @Test
  void writtenElementEscapesTheJsonAndParsesBack() throws Exception {
    String json = "{\"to\":\"a<b>&c\",\"message_id\":\"m-1\",\"message_type\":\"ack\"}";
    String xml = new GcmElement(json).toXML().toString();

    assertEquals(
        "<gcm xmlns='google:mobile:data'>{&quot;to&quot;:&quot;a&lt;b&gt;&amp;c&quot;,"
            + "&quot;message_id&quot;:&quot;m-1&quot;,&quot;message_type&quot;:&quot;ack&quot;}</gcm>",
        xml);
    assertEquals(json, jsonOf("<message>" + xml + "</message>"));
  }

  @Test
  void elementsInsideGcmFailTheParse() {
    assertThrows(
        Exception.class,
        () -> jsonOf("<message><gcm xmlns=\"google:mobile:data\">{<evil/>}</gcm></message>"));
  }

  @Test
  void entitiesDeclaredInADoctypeAreNotExpanded() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                jsonOf(
                    "<!DOCTYPE message [<!ENTITY boom \"expanded\">]>"
                        + "<message><gcm xmlns=\"google:mobile:data\">&boom;</gcm></message>"));
    assertTrue(!String.valueOf(e.getMessage()).contains("expanded"), e.getMessage());
  }
}
