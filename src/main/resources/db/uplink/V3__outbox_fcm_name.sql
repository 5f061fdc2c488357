-- The name FCM's HTTP v1 API gives a message it accepted (projects/<project>/messages/<id>),
-- recorded for operators; null for messages sent over CCS.
alter table uplink_outbox add column fcm_name varchar(256);
