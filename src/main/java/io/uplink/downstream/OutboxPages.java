package io.uplink.downstream;

import java.util.List;

/**
 * What {@link SenderBacklog} reads of the outbox to page spilled messages in: which pending rows
 * this instance owns, by outbox order, and the messages of some of them. Implemented by {@link
 * Outbox}; a seam for testing the paging without a database.
 */
interface OutboxPages {

  /**
   * Up to {@code limit} of the sender's pending rows owned by this instance whose outbox id is
   * above {@code afterId}, by id.
   */
  List<PendingRow> pendingAfter(String senderId, long afterId, int limit);

  /** The messages of the rows with these ids that are still pending and owned by this instance. */
  List<Outbound> load(String senderId, List<Long> ids);

  /** A pending row: its outbox id and its message's id. */
  record PendingRow(long id, String messageId) {}
}
