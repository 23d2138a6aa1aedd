package io.ordercqrs.opscli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code ordercqrs-ops}: the ops command line over the query service's admin API. Exit codes:
 * 0 done, 1 the operation did not succeed (a rebuild failed, a retry parked again), 2 the API
 * refused or could not be reached, 3 verify found differences.
 */
@Command(name = "ordercqrs-ops", mixinStandardHelpOptions = true, version = "ordercqrs-ops 0.1.0",
        description = "Replay, rebuild, dead letters and verify, over the query service's admin API.",
        subcommands = {OpsCli.Replay.class, OpsCli.Rebuild.class, OpsCli.DeadLetters.class, OpsCli.Verify.class})
public final class OpsCli {

    @Option(names = "--url", defaultValue = "${env:ORDERCQRS_QUERY_URL:-http://localhost:8082}",
            description = "The query service (default: $ORDERCQRS_QUERY_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:ORDERCQRS_TOKEN}",
            description = "An ops bearer token (default: $ORDERCQRS_TOKEN).")
    String token;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with API errors reported as one line and exit code 2. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new OpsCli());
        commandLine.setExecutionExceptionHandler((e, cli, parsed) -> {
            if (e instanceof AdminApi.AdminApiException api) {
                cli.getErr().println("error" + (api.status > 0 ? " " + api.status : "") + ": " + api.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine;
    }

    AdminApi api() {
        return new AdminApi(url, token);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "replay", description = "Re-derive views from events.",
            subcommands = {Replay.Order.class, Replay.Topic.class})
    static final class Replay {

        @ParentCommand
        OpsCli cli;

        @Command(name = "order", description = "Re-derive one order's view from its events.")
        static final class Order implements Callable<Integer> {

            @ParentCommand
            Replay replay;

            @Parameters(paramLabel = "ORDER_ID")
            String orderId;

            @Option(names = "--source", defaultValue = "topic", description = "topic or outbox (default: ${DEFAULT-VALUE}).")
            String source;

            @Override
            public Integer call() {
                JsonNode result = replay.cli.api().post("/admin/replay/orders/" + orderId, Map.of("source", source),
                        null);
                replay.cli.out().printf("order %s replayed from %s: %d events, version %d, %s%n", orderId, source,
                        result.get("eventsRead").asInt(), result.get("version").asLong(),
                        result.get("changed").asBoolean() ? "view repaired" : "view was already correct");
                return 0;
            }
        }

        @Command(name = "topic", description = "Apply a topic's events again from an offset or a time.")
        static final class Topic implements Callable<Integer> {

            @ParentCommand
            Replay replay;

            @Parameters(paramLabel = "TOPIC")
            String topic;

            @Option(names = "--from-offset")
            Long fromOffset;

            @Option(names = "--from-time", description = "ISO-8601, such as 2026-11-23T10:00:00Z")
            String fromTime;

            @Override
            public Integer call() {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("fromOffset", fromOffset);
                query.put("fromTime", fromTime);
                JsonNode result = replay.cli.api().post("/admin/replay/topics/" + topic, query, null);
                replay.cli.out().printf("%s replayed: %d records, %d applied, %d already there, %d parked%n", topic,
                        result.get("recordsRead").asLong(), result.get("applied").asLong(),
                        result.get("duplicates").asLong(), result.get("parked").asLong());
                return 0;
            }
        }
    }

    @Command(name = "rebuild", description = "Rebuild the views as a new generation without downtime, showing "
            + "progress until it switches in.")
    static final class Rebuild implements Callable<Integer> {

        @ParentCommand
        OpsCli cli;

        @Parameters(paramLabel = "VIEW", description = "order_views, customer_order_summaries, all (each rebuilds "
                + "every view as a new generation), or 'status' / 'cancel' / 'switch' for the rebuild under way")
        String view;

        @Option(names = "--poll", defaultValue = "PT0.5S", description = "How often to show progress (default: 0.5 s).")
        Duration poll;

        @Option(names = "--from", defaultValue = "topics", description = "topics (from their earliest offsets, the "
                + "default) or history (the command side's retained history first, then the topics)")
        String from;

        @Override
        public Integer call() throws InterruptedException {
            AdminApi api = cli.api();
            switch (view) {
                case "status" -> {
                    cli.out().println(line(api.get("/admin/rebuilds/current", Map.of())));
                    return 0;
                }
                case "cancel" -> {
                    cli.out().println("cancelled: " + line(api.delete("/admin/rebuilds/current")));
                    return 0;
                }
                case "switch" -> {
                    cli.out().println("switching when caught up: " + line(api.post("/admin/rebuilds/current/switch",
                            Map.of(), null)));
                    return 0;
                }
                default -> {
                    return rebuild(api);
                }
            }
        }

        private int rebuild(AdminApi api) throws InterruptedException {
            JsonNode progress = api.post("/admin/rebuilds/" + view, Map.of("from", from), null);
            long generation = progress.get("generation").asLong();
            cli.out().println("rebuild of " + view + " started as view generation " + generation);
            while (underWay(progress)) {
                Thread.sleep(poll.toMillis());
                progress = api.get("/admin/rebuilds/current", Map.of());
                cli.out().print("\r" + bar(progress) + " " + line(progress));
                cli.out().flush();
            }
            cli.out().println();
            String state = progress.get("state").asString();
            if (state.equals("READY")) {
                cli.out().println("rebuild caught up but skipped " + progress.get("skipped").asLong()
                        + " records, so it waits for you:");
                progress.get("skippedRecords").forEach(skipped -> cli.out().println("  "
                        + skipped.get("letterId").asString() + "  " + skipped.get("error").asString()));
                cli.out().println("deal with them as dead letters, or switch anyway: ordercqrs-ops rebuild switch");
                return 1;
            }
            cli.out().println("rebuild " + (state.equals("ACTIVE") ? "done" : state.toLowerCase()) + ": "
                    + progress.get("eventsDone").asLong() + " events at " + progress.get("ratePerSecond").asDouble()
                    + " events/s" + (state.equals("ACTIVE") ? ", generation " + generation + " is active" : "")
                    + (progress.hasNonNull("note") ? " (" + progress.get("note").asString() + ")" : ""));
            return state.equals("ACTIVE") ? 0 : 1;
        }

        /** Building or switching: READY waits for ops, so the command stops there. */
        private static boolean underWay(JsonNode progress) {
            String state = progress.get("state").asString();
            return state.equals("BUILDING") || state.equals("SWITCHING");
        }

        static String bar(JsonNode progress) {
            long total = Math.max(1, progress.get("eventsTotal").asLong());
            double done = Math.min(1.0, progress.get("eventsDone").asLong() / (double) total);
            int filled = (int) Math.round(done * 30);
            return "[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + Math.round(done * 100) + "%";
        }

        static String line(JsonNode progress) {
            return "generation " + progress.get("generation").asLong() + " " + progress.get("state").asString() + " "
                    + progress.get("eventsDone").asLong() + "/"
                    + progress.get("eventsTotal").asLong() + " events, " + progress.get("ratePerSecond").asDouble()
                    + " events/s, ETA " + (progress.hasNonNull("etaSeconds") ? progress.get("etaSeconds").asLong() + " s"
                    : "?");
        }
    }

    @Command(name = "dead-letters", description = "Everything stuck: list, show, retry, discard.",
            subcommands = {DeadLetters.ListLetters.class, DeadLetters.Show.class, DeadLetters.Retry.class,
                    DeadLetters.Discard.class})
    static final class DeadLetters {

        @ParentCommand
        OpsCli cli;

        @Command(name = "list", description = "Parked and held records and failed outbox rows.")
        static final class ListLetters implements Callable<Integer> {

            @ParentCommand
            DeadLetters parent;

            @Mixin
            LetterFilter filter;

            @Override
            public Integer call() {
                JsonNode list = parent.cli.api().get("/admin/dead-letters", filter.query());
                PrintWriter out = parent.cli.out();
                out.printf("%-32s %-10s %-7s %-24s %-4s %s%n", "ID", "SOURCE", "STATUS", "EVENT", "SEQ", "ERROR");
                for (JsonNode item : list.get("items")) {
                    out.printf("%-32s %-10s %-7s %-24s %-4s %s%n", item.get("id").asString(),
                            item.get("source").asString(), item.get("status").asString(),
                            item.path("eventType").asString("?"), item.path("sequence").asString("?"),
                            item.path("errorType").asString("") + " " + item.path("error").asString(""));
                }
                out.println(list.get("count").asInt() + " stuck");
                if (list.hasNonNull("outboxUnavailable")) {
                    out.println("note: " + list.get("outboxUnavailable").asString());
                }
                return 0;
            }
        }

        @Command(name = "show", description = "One dead letter with its payload and error.")
        static final class Show implements Callable<Integer> {

            @ParentCommand
            DeadLetters parent;

            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public Integer call() {
                parent.cli.out().println(parent.cli.api().get("/admin/dead-letters/" + id, Map.of()).toPrettyString());
                return 0;
            }
        }

        @Command(name = "retry", description = "Retry one (or --all matching); what was held behind follows in order.")
        static final class Retry implements Callable<Integer> {

            @ParentCommand
            DeadLetters parent;

            @Parameters(paramLabel = "ID", arity = "0..1")
            String id;

            @Option(names = "--all", description = "Retry every parked letter matching --topic/--aggregate/--error.")
            boolean all;

            @Mixin
            LetterFilter filter;

            @Override
            public Integer call() {
                AdminApi api = parent.cli.api();
                if (all) {
                    int stuck = 0;
                    for (JsonNode result : api.post("/admin/dead-letters/retry", filter.query(), null)) {
                        stuck += report(result) ? 0 : 1;
                    }
                    return stuck == 0 ? 0 : 1;
                }
                if (id == null) {
                    throw new CommandLine.ParameterException(parent.cli.spec.commandLine(), "give an ID or --all");
                }
                JsonNode result = api.post("/admin/dead-letters/" + id + "/retry", Map.of(), null);
                if (id.startsWith("outbox-")) {
                    parent.cli.out().println(id + " is back in the outbox relay's line");
                    return 0;
                }
                return report(result) ? 0 : 1;
            }

            private boolean report(JsonNode result) {
                parent.cli.out().println("resolved: " + result.get("resolved").size() + " "
                        + result.get("resolved"));
                if (result.hasNonNull("stillParked")) {
                    JsonNode parked = result.get("stillParked");
                    parent.cli.out().println("parked again: " + parked.get("id").asString() + " - "
                            + parked.get("error").asString());
                    return false;
                }
                return true;
            }
        }

        /** Which letters: by topic, aggregate and error, each optional. */
        static final class LetterFilter {

            @Option(names = "--topic")
            String topic;

            @Option(names = "--aggregate")
            String aggregate;

            @Option(names = "--error", description = "Part of the error or its type.")
            String error;

            Map<String, Object> query() {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("topic", topic);
                query.put("aggregate", aggregate);
                query.put("error", error);
                return query;
            }
        }

        @Command(name = "discard", description = "Give up on one, with a reason.")
        static final class Discard implements Callable<Integer> {

            @ParentCommand
            DeadLetters parent;

            @Parameters(paramLabel = "ID")
            String id;

            @Option(names = "--reason", required = true)
            String reason;

            @Override
            public Integer call() {
                JsonNode result = parent.cli.api().post("/admin/dead-letters/" + id + "/discard", Map.of(),
                        Map.of("reason", reason));
                parent.cli.out().println("discarded " + id + "; then resolved " + result.get("resolved").size()
                        + (result.hasNonNull("stillParked") ? ", parked again: "
                        + result.get("stillParked").get("id").asString() : ""));
                return 0;
            }
        }
    }

    @Command(name = "verify", description = "Compare every view with the command side's state.")
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        OpsCli cli;

        @Override
        public Integer call() {
            JsonNode report = cli.api().post("/admin/verify", Map.of(), null);
            PrintWriter out = cli.out();
            for (JsonNode difference : report.get("differences")) {
                out.printf("%-8s %-24s %s%s%n", difference.get("kind").asString(), difference.get("view").asString(),
                        difference.get("id").asString(), difference.hasNonNull("field")
                                ? " " + difference.get("field").asString() + ": expected "
                                + difference.get("expected").asString(null) + ", found "
                                + difference.get("actual").asString(null) : "");
            }
            long differences = report.get("differenceCount").asLong();
            out.printf("checked %d orders and %d customers: %d difference%s%s%n", report.get("ordersChecked").asLong(),
                    report.get("customersChecked").asLong(), differences, differences == 1 ? "" : "s",
                    report.get("truncated").asBoolean() ? " (first " + report.get("differences").size() + " listed)" : "");
            return differences == 0 ? 0 : 3;
        }
    }
}
