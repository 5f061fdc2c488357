-- The outbox's unique key leads with message_id, so that looking up a batch of a sender's messages
-- (message_id in (...) and sender_id = ?) is one index probe per id: with sender_id first, H2 used
-- the key for the sender alone and read every row of that sender for each batch of answers.
-- Safe to run again after a kill on H2, where each statement commits by itself.
alter table uplink_outbox drop constraint if exists uk_outbox_message;
alter table uplink_outbox add constraint uk_outbox_message unique (message_id, sender_id);
