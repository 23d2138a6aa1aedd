-- The first answer to a POST carrying an Idempotency-Key, per caller, so a retry gets the same
-- answer and creates nothing new. Written in the same transaction as the command it answers.

create table idempotency_keys (
    caller              varchar(200) not null,
    idempotency_key     varchar(255) not null,
    request_fingerprint char(64)     not null,
    response_status     integer,
    response_headers    jsonb,
    response_body       text,
    created_at          timestamptz  not null default now(),
    primary key (caller, idempotency_key)
);

create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
