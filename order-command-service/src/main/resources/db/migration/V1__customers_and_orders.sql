-- The write side's aggregates. Each aggregate row carries its version: the sequence number of its
-- latest event, used for optimistic locking.

create table customers (
    id            uuid         primary key,
    name          varchar(200) not null,
    email         varchar(320) not null,
    version       bigint       not null check (version >= 1),
    registered_at timestamptz  not null,
    updated_at    timestamptz  not null
);

create unique index customers_email_key on customers (lower(email));

create table orders (
    id                    uuid          primary key,
    customer_id           uuid          not null references customers (id),
    status                varchar(16)   not null
        check (status in ('PLACED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    currency              varchar(3)    not null,
    total                 numeric(19, 4) not null check (total >= 0),
    recipient             varchar(200)  not null,
    street                varchar(200)  not null,
    postal_code           varchar(20)   not null,
    city                  varchar(100)  not null,
    country               varchar(2)    not null,
    payment_reference     varchar(100),
    carrier               varchar(100),
    tracking_number       varchar(100),
    cancellation_reason   varchar(500),
    version               bigint        not null check (version >= 1),
    placed_at             timestamptz   not null,
    paid_at               timestamptz,
    shipped_at            timestamptz,
    delivered_at          timestamptz,
    cancelled_at          timestamptz,
    updated_at            timestamptz   not null
);

create index orders_customer_idx on orders (customer_id, placed_at desc);

create table order_lines (
    order_id     uuid           not null references orders (id) on delete cascade,
    line_no      integer        not null,
    sku          varchar(64)    not null,
    product_name varchar(200)   not null,
    quantity     integer        not null check (quantity > 0),
    unit_price   numeric(19, 4) not null check (unit_price >= 0),
    primary key (order_id, line_no)
);
