-- The change-data-capture relay (ordercqrs.outbox.relay.mode=cdc) reads committed outbox inserts
-- from the write-ahead log instead of the table. Nothing here is used by the polling relay.

-- Where the Debezium engine stands in the log, stored next to the data it reads and written only
-- after Kafka acknowledged what came before it. The layout is Debezium's JDBC offset store's own.
create table outbox_cdc_offsets (
    id                varchar(36)   primary key,
    offset_key        varchar(1255),
    offset_val        varchar(1255),
    record_insert_ts  timestamp     not null,
    record_insert_seq integer       not null
);

-- Marks the streaming relay writes into the log every second or so. Every transaction older than
-- horizon (the snapshot xmin) committed before its mark, so when the mark comes back out of the log and what came before
-- it is acknowledged, every outbox row of those transactions is on Kafka: the relay then moves all
-- slots' positions to the horizon, which is what ops, the backlog figures and retention read. The age of
-- the oldest mark not yet back is the relay's lag in time. Marks are deleted once back.
create table outbox_cdc_marks (
    id        bigserial   primary key,
    horizon   bigint      not null,
    marked_at timestamptz not null default now()
);
