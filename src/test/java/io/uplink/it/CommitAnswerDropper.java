package io.uplink.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between the gateway and PostgreSQL that can lose the answer of a commit: armed, it
 * reads PostgreSQL's answers (the protocol's typed messages) and, at the {@code COMMIT} of a
 * transaction that inserted a row, closes both sides instead of passing the answer on. PostgreSQL
 * has committed; the gateway sees its connection break during the commit and cannot know whether it
 * happened. Listens on loopback on a free port; the gateway must connect without TLS ({@code
 * sslmode=disable}) so that the relay can read the answers. Thread-safe; closing it ends every
 * relayed connection.
 */
final class CommitAnswerDropper implements AutoCloseable {

  private final ServerSocket listener;
  private final int postgresqlPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger toDrop = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final Thread acceptor;

  private CommitAnswerDropper(int postgresqlPort) throws IOException {
    this.postgresqlPort = postgresqlPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "commit-answer-dropper");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static CommitAnswerDropper relayingTo(int postgresqlPort) throws IOException {
    return new CommitAnswerDropper(postgresqlPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Loses the answers of the next {@code commits} commits of transactions that inserted a row. */
  void dropNextCommitAnswers(int commits) {
    toDrop.set(commits);
  }

  /** How many commit answers were lost so far. */
  int dropped() {
    return dropped.get();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), postgresqlPort));
      } catch (IOException refused) {
        closeBoth(client, server);
        continue;
      }
      sockets.add(client);
      sockets.add(server);
      start("to-postgresql", () -> copy(client, server));
      start("from-postgresql", () -> relayAnswers(server, client));
    }
  }

  private static void start(String name, Runnable task) {
    Thread thread = new Thread(task, "commit-answer-dropper-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException ended) {
      // one side closed: the relay of this connection is over
    } finally {
      closeBoth(from, to);
    }
  }

  /**
   * Passes PostgreSQL's messages on one by one (a type byte, a length that counts itself, a body),
   * watching each {@code CommandComplete}'s tag for inserts and commits; a {@code ReadyForQuery}
   * outside a transaction block ends what a transaction inserted.
   */
  private void relayAnswers(Socket server, Socket client) {
    try (DataInputStream in =
            new DataInputStream(new BufferedInputStream(server.getInputStream()));
        OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
      boolean inserted = false;
      while (true) {
        int type = in.read();
        if (type < 0) {
          return;
        }
        int length = in.readInt();
        byte[] body = in.readNBytes(length - 4);
        if (type == 'C') {
          String tag = new String(body, 0, body.length - 1, StandardCharsets.US_ASCII);
          if (tag.startsWith("INSERT ") && !tag.endsWith(" 0")) {
            inserted = true;
          } else if (tag.equals("COMMIT") && inserted && takeOneToDrop()) {
            dropped.incrementAndGet();
            client.setSoLinger(true, 0);
            return;
          }
        } else if (type == 'Z' && body[0] == 'I') {
          inserted = false;
        }
        out.write(type);
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(body);
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (IOException ended) {
      // one side closed: the relay of this connection is over
    } finally {
      closeBoth(server, client);
    }
  }

  private boolean takeOneToDrop() {
    return toDrop.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
  }

  private static void closeBoth(Socket one, Socket other) {
    for (Socket socket : new Socket[] {one, other}) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
