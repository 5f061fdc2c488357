-- One row that readiness rewrites (DatabaseReadiness): a commit that must reach the disk, so a full
-- disk or a database that closed its file shows in health even while no message arrives.
-- Safe to run again after a kill on H2, where each statement commits by itself.
create table if not exists uplink_readiness_probe (
    id integer not null primary key,
    written_at timestamp(6) with time zone not null
);
insert into uplink_readiness_probe (id, written_at)
select 1, current_timestamp where not exists (select 1 from uplink_readiness_probe where id = 1);
