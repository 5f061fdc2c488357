package io.uplink.it.app;

import io.uplink.api.Category;
import io.uplink.api.UpstreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Observes only the messages of {@code com.example.other}, to test the {@link Category} qualifier.
 */
@ApplicationScoped
public class OtherAppObserver {

  private final List<String> messageIds = new CopyOnWriteArrayList<>();

  void on(@Observes @Category("com.example.other") UpstreamMessage message) {
    messageIds.add(message.messageId());
  }

  List<String> messageIds() {
    return List.copyOf(messageIds);
  }
}
