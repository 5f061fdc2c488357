package io.uplink.it;

import java.net.http.HttpClient;

/**
 * The HTTP client tests use to call a Payara Micro on loopback, on HTTP/1.1 (no upgrade to
 * cleartext HTTP/2). Payara closes a connection idle for 30 s, and the JDK's client fails a POST
 * sent on one it has just closed instead of retrying it; failsafe therefore runs the tests with
 * {@code jdk.httpclient.keepalive.timeout} below that (see the POM).
 */
final class LoopbackHttp {

  private LoopbackHttp() {}

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }
}
