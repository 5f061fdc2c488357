package io.uplink.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 32 bytes the de-duplication table's unique key holds for an upstream message: SHA-256 over
 * its sender ID, device and message id, each as its UTF-8 length and bytes, so that no two keys run
 * together. The three strings themselves (a registration token alone is about 160 characters) made
 * every index page the database rewrites at a commit long and slow to write (in H2, character by
 * character); a fixed 32-byte value keeps the index small and its pages cheap. The stored records
 * and migration 4 ({@link ReceivedKeyDigest}) depend on it, so it never changes ({@code
 * KeyDigestTest} pins it to a known value). Thread-safe (a digest object per thread).
 */
public final class KeyDigest {

  /** The length of a digest in bytes. */
  public static final int LENGTH = 32;

  /** One per thread, reset by each digest: looking the algorithm up per message costs more. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(KeyDigest::newSha256);

  private KeyDigest() {}

  /** The digest of one upstream message's key. */
  public static byte[] of(String senderId, String device, String messageId) {
    MessageDigest sha256 = SHA_256.get();
    update(sha256, senderId);
    update(sha256, device);
    update(sha256, messageId);
    return sha256.digest();
  }

  private static void update(MessageDigest sha256, String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    for (int shift = 24; shift >= 0; shift -= 8) {
      sha256.update((byte) (bytes.length >>> shift));
    }
    sha256.update(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
