/**
 * The only package that speaks XMPP (through Smack): TLS sockets, one {@link
 * io.uplink.xmpp.ConnectionSlot} per configured connection with reconnect, backoff, keepalive and
 * draining, the {@code google:mobile:data} extension element, and the dispatch of decoded stanzas
 * to the upstream pipeline. Smack callbacks only decode and queue; they never touch JPA or CDI
 * events.
 */
package io.uplink.xmpp;
