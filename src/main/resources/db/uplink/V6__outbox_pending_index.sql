-- The outbox is the queue of what waits beyond memory's window: a sender's dispatcher pages in its
-- instance's pending rows by id (status = 'PENDING' and sender_id = ? and owner = ? and id > ?
-- order by id), and this index answers that with one range read. It begins with status, so it also
-- serves everything the index on status alone served, which it replaces (one index less to write
-- per accepted message).
-- Safe to run again after a kill on H2, where each statement commits by itself.
create index if not exists ix_outbox_pending on uplink_outbox (status, sender_id, owner, id);
drop index if exists ix_outbox_status;
