-- Uplink's tables as Hibernate's hbm2ddl created them up to version 0.1 (before migrations), in
-- SQL that H2 and PostgreSQL both read; long_text is clob on H2 and text on PostgreSQL. A
-- database created then is baselined at this version instead of running it.
-- "if not exists": Hibernate 6.6's update creates the entities' sequences before this runs even
-- though its schema filter leaves Uplink's tables to this script (it applies no filter to
-- sequences); it creates them with these very increments.

create sequence if not exists uplink_dead_letter_seq start with 1 increment by 20;
create sequence if not exists uplink_failed_delivery_seq start with 1 increment by 20;
create sequence if not exists uplink_outbox_seq start with 1 increment by 50;
create sequence if not exists uplink_received_seq start with 1 increment by 100;
create sequence if not exists uplink_token_event_seq start with 1 increment by 20;
create table uplink_connection_lease (
    id varchar(72) not null,
    expires_at timestamp(6) with time zone,
    owner varchar(64),
    sender_id varchar(64) not null,
    slot_index integer not null,
    primary key (id),
    constraint uk_connection_lease unique (sender_id, slot_index)
);
create table uplink_dead_letter (
    id bigint not null,
    attempts integer not null,
    category varchar(255) not null,
    data_json ${long_text} not null,
    sender_id varchar(64) not null,
    device varchar(1024) not null,
    message_id varchar(256) not null,
    last_error varchar(2000),
    parked_at timestamp(6) with time zone not null,
    primary key (id)
);
create table uplink_failed_delivery (
    id bigint not null,
    attempts integer not null,
    sender_id varchar(64) not null,
    device varchar(1024) not null,
    message_id varchar(256) not null,
    last_error varchar(2000),
    last_failure_at timestamp(6) with time zone not null,
    primary key (id),
    constraint uk_failed_delivery_key unique (sender_id, device, message_id)
);
create table uplink_instance (
    id varchar(64) not null,
    description varchar(255) not null,
    last_seen timestamp(6) with time zone not null,
    started_at timestamp(6) with time zone not null,
    primary key (id)
);
create table uplink_outbox (
    id bigint not null,
    accepted_at timestamp(6) with time zone not null,
    answered_at timestamp(6) with time zone,
    error varchar(512),
    expires_at timestamp(6) with time zone,
    json ${long_text} not null,
    message_id varchar(252) not null,
    owner varchar(64),
    receipt_at timestamp(6) with time zone,
    sender_id varchar(64) not null,
    status varchar(16) not null check (status in ('PENDING','ACKED','NACKED','FAILED','EXPIRED')),
    target varchar(4112) not null,
    target_key varchar(4096) not null,
    primary key (id),
    constraint uk_outbox_message unique (sender_id, message_id)
);
create table uplink_received (
    id bigint not null,
    category varchar(255) not null,
    sender_id varchar(64) not null,
    device varchar(1024) not null,
    message_id varchar(256) not null,
    received_at timestamp(6) with time zone not null,
    primary key (id),
    constraint uk_received_key unique (sender_id, device, message_id)
);
create table uplink_token_event (
    id bigint not null,
    attempts integer not null,
    canonical_token varchar(4096),
    created_at timestamp(6) with time zone not null,
    dead boolean not null,
    error varchar(64),
    last_failure varchar(2000),
    message_id varchar(252) not null,
    next_attempt_at timestamp(6) with time zone not null,
    sender_id varchar(64) not null,
    token varchar(4096) not null,
    primary key (id)
);
create index ix_outbox_status on uplink_outbox (status);
create index ix_received_at on uplink_received (received_at);
create index ix_token_event_due on uplink_token_event (dead, next_attempt_at);
