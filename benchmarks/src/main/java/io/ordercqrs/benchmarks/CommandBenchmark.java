package io.ordercqrs.benchmarks;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.ShippingAddress;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.launcher.Stack;
import io.ordercqrs.launcher.StackSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write path beside its ceiling, in one run, on the launched write side (durable PostgreSQL as
 * {@code ./run} has it, Kafka, the command service from its runnable jar with its relay):
 * <ol>
 * <li>the ceiling: exactly the SQL a place-order command issues (outbox row, order and its line,
 * the answer stored under its idempotency key), over plain JDBC with prepared statements, N
 * threads, durable commits;</li>
 * <li>the product: {@code POST /orders} over HTTP from N clients, each with its customer's token and
 * an {@code Idempotency-Key}, through validation, the transaction and the outbox, the relay
 * publishing to Kafka meanwhile.</li>
 * </ol>
 * For N = 1, 10 and 32 it prints both rates, their ratio and the latency percentiles, then
 * {@code RESULT <name> <value> <unit>} lines. Arguments: {@code [seconds per phase]}, default 15.
 */
public final class CommandBenchmark {

    private static final int[] CLIENTS = {1, 10, 32};
    /** The stored answer: an order as {@code POST /orders} answers it, about the same size. */
    private static final String ORDER_ANSWER = """
            {"id":"ORDER_ID","customerId":"00000000-0000-0000-0000-000000000000","status":"PLACED",\
            "lines":[{"sku":"BEANS-1KG","productName":"Espresso beans","quantity":2,\
            "unitPrice":{"amount":"12.50","currency":"EUR"},"subtotal":{"amount":"25.00","currency":"EUR"}}],\
            "total":{"amount":"25.00","currency":"EUR"},"shippingAddress":{"recipient":"Ada",\
            "street":"1 Analytical Way","postalCode":"10115","city":"Berlin","country":"DE"},\
            "placedAt":"2026-11-24T00:00:00Z","updatedAt":"2026-11-24T00:00:00Z","version":1}""";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Stack stack;
    private final Duration phase;
    private final List<Customer> customers = new ArrayList<>();
    private final Map<String, String> results = new LinkedHashMap<>();

    private CommandBenchmark(Stack stack, Duration phase) {
        this.stack = stack;
        this.phase = phase;
    }

    /** A registered customer and the token to act as them. */
    private record Customer(UUID id, String token) {
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 15);
        Path data = Files.createTempDirectory("ordercqrs-command-bench");
        try (Stack stack = Stack.startCommandSide(StackSettings.onFreePorts(Path.of(".").toAbsolutePath().normalize(),
                data))) {
            CommandBenchmark benchmark = new CommandBenchmark(stack, phase);
            benchmark.registerCustomers(64);
            benchmark.warmUp();
            for (int clients : CLIENTS) {
                System.out.printf("Measuring the JDBC ceiling with %d threads...%n", clients);
                Measured ceiling = benchmark.jdbcCeiling(clients);
                System.out.printf("Measuring POST /orders with %d clients...%n", clients);
                Measured product = benchmark.http(clients, phase);
                benchmark.report(clients, ceiling, product);
            }
            benchmark.results.values().forEach(System.out::println);
        }
        System.exit(0);
    }

    private void registerCustomers(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            String token = stack.issuer().mint(id.toString(), "customer", Duration.ofHours(2));
            HttpResponse<String> registered = post("/customers", token, null,
                    "{\"name\":\"Customer " + i + "\",\"email\":\"" + id + "@example.org\"}");
            if (registered.statusCode() != 201) {
                throw new IllegalStateException("Registering a customer answered " + registered.statusCode());
            }
            customers.add(new Customer(id, token));
        }
    }

    /** Sends {@code POST /orders} from 10 clients until the service's JIT compiler has settled. */
    private void warmUp() throws Exception {
        new JitWarmUp(List.of(stack.commandUrl()), stack.issuer().mint("bench-ops", "ops", Duration.ofHours(2)))
                .run(round -> http(10, round));
    }

    /** What one phase measured: commands per second and each command's time. */
    private record Measured(double rate, Percentiles latency, long failures) {
    }

    /** Runs {@code work} from {@code threads} threads for a warm-up and then the measured phase. */
    private Measured run(int threads, Worker work) throws Exception {
        return run(threads, work, phase);
    }

    private Measured run(int threads, Worker work, Duration phase) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                Worker.Session session = work.open(thread);
                try (session) {
                    while (running.get()) {
                        long started = System.nanoTime();
                        boolean ok = session.once();
                        long took = System.nanoTime() - started;
                        if (measuring.get()) {
                            if (ok) {
                                done.incrementAndGet();
                                latencies.add(took);
                            }
                            else {
                                failures.incrementAndGet();
                            }
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(3000);
        measuring.set(true);
        long started = System.nanoTime();
        Thread.sleep(phase.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        long count = done.get();
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return new Measured(count / seconds, new Percentiles(new ArrayList<>(latencies)), failures.get());
    }

    /** One thread's loop body, with what it keeps between iterations. */
    @FunctionalInterface
    private interface Worker {

        Session open(int thread) throws Exception;

        interface Session extends AutoCloseable {

            /** One command; {@code false} if it failed. */
            boolean once() throws Exception;

            @Override
            default void close() throws Exception {
            }
        }
    }

    /**
     * The ceiling: the statements a place-order command issues, in one durable transaction each,
     * prepared once per thread, with an outbox row encoded as the command service encodes it.
     */
    private Measured jdbcCeiling(int threads) throws Exception {
        EventCodec codec = new EventCodec();
        return run(threads, thread -> {
            Connection connection = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "postgres");
            connection.setAutoCommit(false);
            PreparedStatement outbox = connection.prepareStatement("""
                    insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                                        payload, headers, occurred_at)
                    values (?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?)""");
            PreparedStatement order = connection.prepareStatement("""
                    insert into orders (carrier,cancellation_reason,cancelled_at,currency,customer_id,delivered_at,
                    paid_at,payment_reference,placed_at,city,country,postal_code,recipient,street,shipped_at,status,
                    total,tracking_number,updated_at,version,id) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""");
            PreparedStatement line = connection.prepareStatement("""
                    insert into order_lines (order_id,line_no,product_name,quantity,sku,unit_price)
                    values (?,?,?,?,?,?)""");
            PreparedStatement answer = connection.prepareStatement("""
                    insert into idempotency_keys (caller, idempotency_key, request_fingerprint, response_status,
                                                  response_headers, response_body, created_at)
                    values (?, ?, ?, ?, cast(? as jsonb), ?, ?) on conflict do nothing""");
            Customer customer = customers.get(thread % customers.size());
            return new Worker.Session() {
                @Override
                public boolean once() throws Exception {
                    UUID orderId = UUID.randomUUID();
                    Instant now = Instant.now();
                    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                    String key = UUID.randomUUID().toString();
                    EventEnvelope envelope = codec.encode(placed(orderId, customer.id(), now),
                            new EventMetadata("/order-command-service", null, null));
                    outbox.setObject(1, envelope.id());
                    outbox.setString(2, envelope.aggregateType().wireName());
                    outbox.setObject(3, orderId);
                    outbox.setLong(4, 1);
                    outbox.setString(5, envelope.type());
                    outbox.setInt(6, envelope.schemaVersion());
                    outbox.setString(7, new String(envelope.data(), StandardCharsets.UTF_8));
                    outbox.setString(8, "{\"source\":\"/order-command-service\"}");
                    outbox.setObject(9, at);
                    outbox.executeUpdate();
                    Object[] values = {null, null, null, "EUR", customer.id(), null, null, null, Timestamp.from(now),
                            "Berlin", "DE", "10115", "Ada", "1 Analytical Way", null, "PLACED",
                            new BigDecimal("25.00"), null, Timestamp.from(now), 1L, orderId};
                    for (int i = 0; i < values.length; i++) {
                        order.setObject(i + 1, values[i]);
                    }
                    order.executeUpdate();
                    line.setObject(1, orderId);
                    line.setInt(2, 0);
                    line.setString(3, "Espresso beans");
                    line.setInt(4, 2);
                    line.setString(5, "BEANS-1KG");
                    line.setBigDecimal(6, new BigDecimal("12.50"));
                    line.executeUpdate();
                    answer.setString(1, customer.id().toString());
                    answer.setString(2, key);
                    answer.setString(3, "0".repeat(64));
                    answer.setInt(4, 201);
                    answer.setString(5, "{\"Location\":\"/orders/" + orderId + "\",\"ETag\":\"\\\"1\\\"\"}");
                    answer.setString(6, ORDER_ANSWER.replace("ORDER_ID", orderId.toString()));
                    answer.setObject(7, at);
                    answer.executeUpdate();
                    connection.commit();
                    return true;
                }

                @Override
                public void close() throws Exception {
                    connection.close();
                }
            };
        });
    }

    /** The product: {@code POST /orders} over HTTP, each client as its own customer, with an idempotency key. */
    private Measured http(int clients, Duration phase) throws Exception {
        String body = """
                {"currency":"EUR","lines":[{"sku":"BEANS-1KG","productName":"Espresso beans","quantity":2,\
                "unitPrice":"12.50"}],"shippingAddress":{"recipient":"Ada","street":"1 Analytical Way",\
                "postalCode":"10115","city":"Berlin","country":"DE"}}""";
        return run(clients, thread -> {
            Customer customer = customers.get(thread % customers.size());
            return () -> post("/orders", customer.token(), UUID.randomUUID().toString(), body).statusCode() == 201;
        }, phase);
    }

    private HttpResponse<String> post(String path, String token, String idempotencyKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.commandUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void report(int clients, Measured ceiling, Measured product) {
        double ratio = product.rate() / ceiling.rate();
        System.out.printf("%2d clients: JDBC ceiling %,7.0f tx/s (p50 %.1f ms, p99 %.1f ms) | POST /orders %,7.0f orders/s "
                        + "(p50 %.1f ms, p99 %.1f ms, %d failed) | %.2f of the ceiling%n", clients, ceiling.rate(),
                ceiling.latency().at(50), ceiling.latency().at(99), product.rate(), product.latency().at(50),
                product.latency().at(99), product.failures(), ratio);
        results.put("jdbc_" + clients, String.format("RESULT command_jdbc_ceiling_%d %.1f tx-per-s", clients,
                ceiling.rate()));
        results.put("rate_" + clients, String.format("RESULT command_rate_%d %.1f orders-per-s", clients,
                product.rate()));
        results.put("ratio_" + clients, String.format("RESULT command_ratio_%d %.3f of-jdbc-ceiling", clients, ratio));
        results.put("p50_" + clients, String.format("RESULT command_p50_%d %.1f ms", clients, product.latency().at(50)));
        results.put("p99_" + clients, String.format("RESULT command_p99_%d %.1f ms", clients, product.latency().at(99)));
    }

    private static OrderPlaced placed(UUID order, UUID customer, Instant at) {
        return new OrderPlaced(UUID.randomUUID(), OrderId.of(order), 1, at, CustomerId.of(customer),
                List.of(new OrderPlaced.Line("BEANS-1KG", "Espresso beans", 2, Money.of("12.50", "EUR"))),
                Money.of("25.00", "EUR"), new ShippingAddress("Ada", "1 Analytical Way", "10115", "Berlin", "DE"));
    }
}
