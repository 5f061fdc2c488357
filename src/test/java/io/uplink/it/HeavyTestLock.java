package io.uplink.it;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps the two tests that load the machine hardest (the crash test at 1,000 messages/s and the two
 * clustered instances) from running at the same time in the two test JVMs: each holds this file
 * lock, which the operating system grants to one process at a time, while it runs. Lighter test
 * classes still run beside either. Not thread-safe; one test holds it.
 */
final class HeavyTestLock implements AutoCloseable {

  private static final Path FILE = Path.of("target", "heavy-test.lock");

  private final FileChannel channel;
  private final FileLock lock;

  private HeavyTestLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits until no other test JVM holds the lock, then holds it. */
  static HeavyTestLock acquire() throws IOException {
    Files.createDirectories(FILE.getParent());
    FileChannel channel =
        FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new HeavyTestLock(channel, channel.lock());
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
