package io.ordercqrs.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.CustomerRegistered;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.launcher.Stack;
import io.ordercqrs.launcher.StackSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side on the launched stack (both services as their runnable jars, real servers), each
 * rate beside the ceiling of the same work in the same run:
 * <ol>
 * <li>the store's ceiling: the single-document conditional update the projection uses, 4 threads,
 * on documents the size of an order view;</li>
 * <li>live projection: events published straight to Kafka until the active generation's consumer
 * group has committed them all;</li>
 * <li>full rebuild: a new generation from the earliest offsets until it switches in;</li>
 * <li>these three first cold ({@code *_cold}), then, after rebuilding until the compilers of the
 * query service and of this JVM (which hosts the store) settled, again warm: a ceiling taken while
 * this JVM still compiles is a fraction of the warm one and flatters every ratio against it;</li>
 * <li>catch-up with one customer holding every order, against the same number of events spread
 * over many customers;</li>
 * <li>HTTP commands at the highest rate the command service sustains, over 64 customers, with the
 * views' lag every 10 s (after placing orders and reading their views until both services' JIT
 * compilers settled, so the phases measure the services warm);</li>
 * <li>command answered to view served (read-your-writes), at half that highest rate, with the part
 * until its event reached Kafka and how busy the machine's cores were meanwhile;</li>
 * <li>command answered to view served, one command at a time at 20/s.</li>
 * </ol>
 * Orders go through their whole life (placed, paid, shipped, delivered: four events each). Ends
 * with {@code RESULT <name> <value> <unit>} lines. Arguments: {@code [events] [customers]
 * [hot-orders] [load-seconds]}, default 50000 (12500 orders), 1000, 100000 and 60.
 */
public final class PipelineBenchmark {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final EventCodec CODEC = new EventCodec();

    private final Stack stack;
    private final String ops;
    private final Admin kafka;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String> customers = new ArrayList<>();

    private PipelineBenchmark(Stack stack) {
        this.stack = stack;
        this.ops = stack.issuer().mint("bench-ops", "ops", Duration.ofHours(3));
        this.kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()));
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int hotOrders = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int loadSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Path data = Files.createTempDirectory("ordercqrs-bench");
        long starting = System.nanoTime();
        try (Stack stack = Stack.start(StackSettings.onFreePorts(Path.of(".").toAbsolutePath().normalize(), data))) {
            System.out.printf("Stack ready in %.1f s%n", (System.nanoTime() - starting) / 1e9);
            PipelineBenchmark benchmark = new PipelineBenchmark(stack);
            benchmark.ceilingProjectionAndRebuild("_cold", events / 4, customers);
            benchmark.awaitReplacedDropped();
            benchmark.warmUpRebuilds();
            benchmark.ceilingProjectionAndRebuild("", events / 4, customers);
            benchmark.awaitReplacedDropped();
            double spread = benchmark.catchUp("Catch-up, " + hotOrders + " orders over " + customers + " customers",
                    hotOrders, customers);
            double hot = benchmark.catchUp("Catch-up, " + hotOrders + " orders of one customer", hotOrders, 1);
            benchmark.result("catch_up_spread_rate", spread, "events-per-s");
            benchmark.result("catch_up_one_customer_rate", hot, "events-per-s");
            benchmark.result("catch_up_one_customer_ratio", hot / spread, "of-spread-rate");
            benchmark.registerCustomers(64);
            benchmark.warmUp();
            double highest = benchmark.commandLoad(loadSeconds);
            benchmark.commandToViewUnderLoad(highest / 2, 30);
            benchmark.commandToView(300);
            benchmark.results.forEach((name, line) -> System.out.println(line));
        }
        System.exit(0);
    }

    private void result(String name, double value, String unit) {
        results.put(name, String.format("RESULT %s %.3f %s", name, value, unit));
    }

    /** The store's own ceiling: 4 threads, one conditional update per round trip, for 10 s. */
    private double storeCeiling(String name) throws Exception {
        int documents = 10_000;
        try (MongoClient client = MongoClients.create(stack.mongoUri())) {
            MongoCollection<Document> collection = client.getDatabase("ordercqrs").getCollection("bench_ceiling");
            collection.drop();
            String padding = "x".repeat(900);
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < documents; i++) {
                batch.add(new Document("_id", "doc-" + i).append("revision", 0L).append("version", 0L)
                        .append("status", "PLACED").append("padding", padding));
            }
            collection.insertMany(batch);
            AtomicLong updates = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(threads.submit(() -> {
                    long[] revisions = new long[documents];
                    for (int i = thread; running.get(); i = (i + 4) % documents) {
                        collection.updateOne(new Document("_id", "doc-" + i).append("revision", revisions[i]),
                                Updates.combine(Updates.set("status", "PAID"), Updates.inc("version", 1),
                                        Updates.inc("revision", 1)));
                        revisions[i]++;
                        updates.incrementAndGet();
                    }
                }));
            }
            Thread.sleep(2000);
            long warm = updates.get();
            long started = System.nanoTime();
            Thread.sleep(10_000);
            long done = updates.get() - warm;
            double seconds = (System.nanoTime() - started) / 1e9;
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            threads.shutdown();
            collection.drop();
            double rate = done / seconds;
            System.out.printf("Store ceiling: single-document conditional updates, 4 threads: %,.0f updates/s%n", rate);
            result(name, rate, "updates-per-s");
            return rate;
        }
    }

    /**
     * Publishes {@code orders} orders, each through its whole life, of {@code customerCount} new
     * customers straight to Kafka, and measures until the active generation has committed them all.
     *
     * @return events per second from the first publish to the last commit
     */
    private double catchUp(String label, int orders, int customerCount) throws Exception {
        String group = activeGroup();
        long started = System.nanoTime();
        int published = publish(orders, customerCount);
        long sent = System.nanoTime();
        awaitNoLag(group);
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = published / seconds;
        System.out.printf("%s: %,d events published in %.1f s, all projected after %.1f s: %,.0f events/s%n", label,
                published, (sent - started) / 1e9, seconds, rate);
        return rate;
    }

    private double rebuild() throws Exception {
        call("POST", stack.queryUrl() + "/admin/rebuilds/all", null);
        JsonNode status;
        do {
            Thread.sleep(200);
            status = call("GET", stack.queryUrl() + "/admin/rebuilds/current", null);
        } while (List.of("BUILDING", "SWITCHING").contains(status.get("state").asString()));
        Duration took = Duration.between(Instant.parse(status.get("startedAt").asString()),
                Instant.parse(status.get("switchedAt").asString()));
        double rate = status.get("eventsDone").asLong() / (took.toMillis() / 1000.0);
        System.out.printf("Rebuild: %s, %,d events in %.1f s: %,.0f events/s%n", status.get("state").asString(),
                status.get("eventsDone").asLong(), took.toMillis() / 1000.0, rate);
        return rate;
    }

    /**
     * The store's ceiling, the live projection of {@code orders} orders and a full rebuild, each
     * rate with its ratio to that ceiling; result names end in {@code suffix}.
     */
    private void ceilingProjectionAndRebuild(String suffix, int orders, int customerCount) throws Exception {
        double ceiling = storeCeiling("store_ceiling" + suffix);
        double live = catchUp("Live projection" + suffix.replace('_', ' '), orders, customerCount);
        result("projection" + suffix + "_rate", live, "events-per-s");
        result("projection" + suffix + "_ratio", live / ceiling, "of-store-ceiling");
        double rebuild = rebuild();
        result("rebuild" + suffix + "_rate", rebuild, "events-per-s");
        result("rebuild" + suffix + "_ratio", rebuild / ceiling, "of-store-ceiling");
    }

    /**
     * Rebuilds again until the query service's compiler and this JVM's (which hosts the store)
     * have settled: a rebuild of a few hundred thousand events runs for seconds, mostly beside a
     * compiler still busy with code the live projection did not reach, where a rebuild of a real
     * history runs for minutes and warm. The measured rebuild and the store ceiling beside it run
     * after this; the first rebuild's figures stay in the results as {@code rebuild_cold_*}.
     */
    private void warmUpRebuilds() throws Exception {
        new JitWarmUp(List.of(stack.queryUrl()), ops).run(round -> {
            rebuild();
            awaitReplacedDropped();
        });
    }

    /**
     * Waits until the generation the rebuild replaced is dropped: it keeps consuming for a grace
     * period, and the phases after this one measure the active generation alone.
     */
    private void awaitReplacedDropped() throws Exception {
        long started = System.nanoTime();
        while (true) {
            boolean retiring = false;
            for (JsonNode generation : call("GET", stack.queryUrl() + "/admin/generations", null)) {
                retiring |= "RETIRING".equals(generation.get("state").asString());
            }
            if (!retiring) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.printf("Replaced generation dropped %.1f s after the switch was measured%n",
                (System.nanoTime() - started) / 1e9);
    }

    /** Registers the customers the HTTP phases place orders for; answers nothing, keeps their tokens. */
    private void registerCustomers(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            UUID customer = UUID.randomUUID();
            String token = stack.issuer().mint(customer.toString(), "customer", Duration.ofHours(3));
            call("POST", stack.commandUrl() + "/customers", token, Map.of("name", "Customer " + i,
                    "email", customer + "@example.org"));
            customers.add(token);
        }
    }

    /** Places orders and reads their views from 16 clients until both services' compilers settled. */
    private void warmUp() throws Exception {
        new JitWarmUp(List.of(stack.commandUrl(), stack.queryUrl()), ops).run(round -> {
            long end = System.nanoTime() + round.toNanos();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            for (int c = 0; c < 16; c++) {
                String token = customers.get(c % customers.size());
                clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        placeAndRead(token);
                    }
                    return null;
                });
            }
            clients.shutdown();
            clients.awaitTermination(round.toSeconds() + 60, TimeUnit.SECONDS);
        });
    }

    /**
     * Places an order and reads its view at the version the command answered (read-your-writes with
     * {@code minVersion}, as a frontend does).
     */
    private Placed placeAndRead(String token) throws Exception {
        JsonNode placed = call("POST", stack.commandUrl() + "/orders", token, order());
        long answered = System.nanoTime();
        String id = placed.get("id").asString();
        call("GET", stack.queryUrl() + "/orders/" + id + "?minVersion=" + placed.get("version").asLong(), token, null);
        return new Placed(id, answered, System.nanoTime());
    }

    /** An order placed and read back: its id, when the command answered and when its view did ({@link System#nanoTime()}). */
    private record Placed(String orderId, long answered, long viewed) {
    }

    /**
     * HTTP commands from 32 clients over the registered customers for {@code seconds}, printing the
     * rate and the views' lag every 10 s.
     */
    private double commandLoad(int seconds) throws Exception {
        String group = activeGroup();
        AtomicLong commands = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        for (int c = 0; c < 32; c++) {
            String token = customers.get(c % customers.size());
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        call("POST", stack.commandUrl() + "/orders", token, order());
                        commands.incrementAndGet();
                    }
                    catch (Exception e) {
                        // counted as not done; the load goes on
                    }
                }
                return null;
            });
        }
        long maxLag = 0;
        double maxViewLag = 0;
        long before = 0;
        MachineLoad load = MachineLoad.start();
        for (int interval = 1; interval <= seconds / 10; interval++) {
            Thread.sleep(10_000);
            long done = commands.get();
            long lag = lag(group);
            double viewLag = metric("ordercqrs.projection.lag.last");
            maxLag = Math.max(maxLag, lag);
            maxViewLag = Math.max(maxViewLag, viewLag);
            System.out.printf("  after %3d s: %,6.0f commands/s, views %,d records behind, last event applied %,.0f ms "
                    + "after it occurred%n", interval * 10, (done - before) / 10.0, lag, viewLag);
            before = done;
        }
        double busy = load.busy();
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);
        long stopped = System.nanoTime();
        awaitNoLag(group);
        double caughtUp = (System.nanoTime() - stopped) / 1e9;
        double rate = commands.get() / (double) seconds;
        System.out.printf("HTTP commands: %,.0f orders/s from 32 clients for %d s (the machine's cores %.1f%% busy); "
                + "views caught up %.1f s after the load stopped%n", rate, seconds, busy * 100, caughtUp);
        result("command_load_rate", rate, "orders-per-s");
        result("view_lag_max", maxLag, "records");
        result("view_lag_max_time", maxViewLag, "ms");
        result("view_catch_up_after_load", caughtUp, "s");
        result("command_load_machine_busy", busy, "of-all-cores");
        return rate;
    }

    /**
     * Command answered, until the query API serves its version (read-your-writes with
     * {@code minVersion}, as a frontend does), for every command of an open-loop load at
     * {@code perSecond} commands per second over many customers. Beside it: when each order's first
     * event reached Kafka (the relay's part of the way), and how busy the machine was meanwhile.
     */
    private void commandToViewUnderLoad(double perSecond, int seconds) throws Exception {
        List<Placed> placed = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(64);
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long warmUpEnds = start + TimeUnit.SECONDS.toNanos(5);
        long end = warmUpEnds + TimeUnit.SECONDS.toNanos(seconds);
        long next = start;
        int sent = 0;
        MachineLoad load = null;
        try (RecordArrivals arrivals = new RecordArrivals(stack.kafkaBootstrapServers(), Topics.ORDER_EVENTS)) {
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                boolean measured = next >= warmUpEnds;
                if (measured && load == null) {
                    load = MachineLoad.start();
                }
                String token = customers.get(sent++ % customers.size());
                clients.submit(() -> {
                    try {
                        Placed order = placeAndRead(token);
                        if (measured) {
                            placed.add(order);
                        }
                    }
                    catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
                next += interval;
            }
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            double busy = load == null ? Double.NaN : load.busy();
            Percentiles toView = new Percentiles(placed.stream().map(order -> order.viewed() - order.answered()).toList());
            Percentiles toKafka = new Percentiles(placed.stream()
                    .flatMap(order -> java.util.Optional.ofNullable(arrivals.arrival(order.orderId()))
                            .map(arrived -> arrived - order.answered()).stream())
                    .toList());
            System.out.printf("Command answered -> order view served (minVersion), %.0f commands/s (half the highest "
                    + "rate) for %d s, %d failed: %s%n", perSecond, seconds, failures.get(), toView.summary());
            System.out.printf("  of which command answered -> its event in Kafka (seen by a consumer of the "
                    + "benchmark's own): %s; the machine's cores were %.1f%% busy%n", toKafka.summary(), busy * 100);
            result("command_to_view_half_rate", perSecond, "orders-per-s");
            result("command_to_view_half_rate_p50", toView.at(50), "ms");
            result("command_to_view_half_rate_p99", toView.at(99), "ms");
            result("command_to_kafka_half_rate_p50", toKafka.at(50), "ms");
            result("command_to_kafka_half_rate_p99", toKafka.at(99), "ms");
            result("command_to_view_half_rate_machine_busy", busy, "of-all-cores");
        }
    }

    /** Command answered, until the query API serves its version, one command at a time at 20/s. */
    private void commandToView(int commands) throws Exception {
        UUID customer = UUID.randomUUID();
        String token = stack.issuer().mint(customer.toString(), "customer", Duration.ofHours(1));
        call("POST", stack.commandUrl() + "/customers", token, Map.of("name", "Bench", "email", customer + "@example.org"));
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < commands + 20; i++) {
            long sent = System.nanoTime();
            JsonNode placed = call("POST", stack.commandUrl() + "/orders", token, order());
            long answered = System.nanoTime();
            String url = stack.queryUrl() + "/orders/" + placed.get("id").asString();
            while (status(url, token) != 200) {
                Thread.sleep(0, 200_000);
            }
            if (i >= 20) {
                nanos.add(System.nanoTime() - answered);
            }
            long pause = 50_000_000 - (System.nanoTime() - sent);
            if (pause > 0) {
                Thread.sleep(pause / 1_000_000);
            }
        }
        Percentiles percentiles = new Percentiles(nanos);
        System.out.println("Command answered -> order view served by the query API (one command at a time, 20/s, "
                + commands + " after 20 warm-up): " + percentiles.summary());
        result("command_to_view_p50", percentiles.at(50), "ms");
        result("command_to_view_p99", percentiles.at(99), "ms");
    }

    private static Map<String, Object> order() {
        return Map.of("currency", "EUR",
                "lines", List.of(Map.of("sku", "B", "productName", "Beans", "quantity", 1, "unitPrice", "9.99")),
                "shippingAddress", Map.of("recipient", "B", "street", "S 1", "postalCode", "1", "city", "C",
                        "country", "DE"));
    }

    /** Publishes {@code orders} orders, each through its whole life, spread over {@code customerCount} new customers. */
    private int publish(int orders, int customerCount) {
        List<CustomerId> customers = new ArrayList<>();
        Instant now = Instant.now();
        int published = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(), ProducerConfig.LINGER_MS_CONFIG,
                5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < customerCount; i++) {
                CustomerId customer = CustomerId.of(UUID.randomUUID());
                customers.add(customer);
                send(producer, new CustomerRegistered(UUID.randomUUID(), customer, 1, now, "Customer " + i,
                        "c" + i + "@example.org"));
                published++;
            }
            for (int i = 0; i < orders; i++) {
                UUID order = UUID.randomUUID();
                UUID customer = customers.get(i % customers.size()).value();
                for (int sequence = 1; sequence <= 4; sequence++) {
                    send(producer, BenchmarkEvents.lifecycle(order, customer, sequence));
                    published++;
                }
            }
            producer.flush();
        }
        return published;
    }

    private static void send(KafkaProducer<String, byte[]> producer, DomainEvent event) {
        producer.send(CODEC.toProducerRecord(CODEC.encode(event, EventMetadata.from("/bench"))));
    }

    /** The consumer group of the generation queries read now. */
    private String activeGroup() throws Exception {
        for (JsonNode generation : call("GET", stack.queryUrl() + "/admin/generations", null)) {
            if (generation.get("active").asBoolean()) {
                return "order-query-service-g" + generation.get("generation").asLong();
            }
        }
        throw new IllegalStateException("No active generation");
    }

    private void awaitNoLag(String group) throws Exception {
        while (lag(group) > 0) {
            Thread.sleep(100);
        }
    }

    /** Records the group has yet to commit, over every partition of the event topics. */
    private long lag(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        for (TopicDescription topic : kafka.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS)
                .values()) {
            topic.partitions().forEach(partition ->
                    request.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest()));
        }
        long lag = 0;
        for (var end : kafka.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    private double metric(String name) throws Exception {
        JsonNode metric = call("GET", stack.queryUrl() + "/actuator/metrics/" + name, null);
        return metric.get("measurements").get(0).get("value").asDouble();
    }

    private static int status(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode call(String method, String url, Object body) throws Exception {
        return call(method, url, ops, body);
    }

    private static JsonNode call(String method, String url, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
