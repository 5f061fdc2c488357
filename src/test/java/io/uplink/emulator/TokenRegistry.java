package io.uplink.emulator;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The emulator's view of which registration tokens exist (ccs-protocol.md §3.2, §3.4), so that
 * downstream messages get {@code BAD_REGISTRATION}, {@code DEVICE_UNREGISTERED} or an ACK with a
 * canonical {@code registration_id}.
 *
 * <p>The rule, in order:
 *
 * <ol>
 *   <li>a token marked invalid, or not well-formed (1 to 4096 characters of {@code A-Z a-z 0-9 _ -
 *       : .}, the characters of real FCM tokens), gets {@code BAD_REGISTRATION};
 *   <li>a token marked unregistered gets {@code DEVICE_UNREGISTERED};
 *   <li>if any token was registered on the builder, the emulator knows the whole fleet: a token
 *       that is neither registered nor mapped to a canonical token gets {@code BAD_REGISTRATION};
 *   <li>otherwise every well-formed token is a valid device.
 * </ol>
 *
 * <p>Topics and conditions are not tokens and are not checked here. Thread-safe: the sets are
 * concurrent, so tests may unregister tokens while messages flow.
 */
final class TokenRegistry {

  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_:.\\-]{1,4096}");

  private final boolean knownTokensOnly;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final Set<String> invalid = ConcurrentHashMap.newKeySet();
  private final Map<String, String> canonical;

  TokenRegistry(
      Set<String> registered,
      Set<String> unregistered,
      Set<String> invalid,
      Map<String, String> canonical) {
    this.knownTokensOnly = !registered.isEmpty();
    this.registered.addAll(registered);
    this.unregistered.addAll(unregistered);
    this.invalid.addAll(invalid);
    this.canonical = Map.copyOf(canonical);
  }

  /** The NACK a message to {@code token} gets, or {@code null} if the token is a live device. */
  DownstreamReply.Nack check(String token) {
    if (invalid.contains(token) || !WELL_FORMED.matcher(token).matches()) {
      return new DownstreamReply.Nack("BAD_REGISTRATION", "Invalid token on 'to' field: " + token);
    }
    if (unregistered.contains(token)) {
      return new DownstreamReply.Nack(
          "DEVICE_UNREGISTERED", "Device unregistered (token no longer valid): " + token);
    }
    if (knownTokensOnly && !registered.contains(token) && !canonical.containsKey(token)) {
      return new DownstreamReply.Nack(
          "BAD_REGISTRATION", "Invalid token on 'to' field: " + token + " (not registered)");
    }
    return null;
  }

  /** The canonical token that replaces {@code token}, or {@code null}. */
  String canonical(String token) {
    return canonical.isEmpty() ? null : canonical.get(token);
  }

  /** The device uninstalled the app: later messages to the token get DEVICE_UNREGISTERED. */
  void unregister(String token) {
    registered.remove(token);
    unregistered.add(token);
  }

  /** The token is (again) a live device. */
  void register(String token) {
    unregistered.remove(token);
    invalid.remove(token);
    registered.add(token);
  }

  /** The token is not one FCM ever issued: later messages to it are refused as invalid. */
  void invalidate(String token) {
    invalid.add(token);
  }
}
