package io.ordercqrs.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a load until the JIT compilers have settled: each spent under 2% of the last round
 * compiling, as the services' {@code jvm.compilation.time} metric and this JVM's own compiler
 * (which hosts the embedded servers' store) tell, at most five minutes. The phases after it measure
 * the services as they run for hours, not their first minutes; a compiler still busy takes a core
 * from the figures on this machine.
 *
 * @param services the base URLs of the services whose compilers must settle
 * @param opsToken a token that may read their metrics
 */
record JitWarmUp(List<String> services, String opsToken) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration MOST = Duration.ofMinutes(5);
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    /** One round of load, about {@code round} long. */
    interface Load {

        void run(Duration round) throws Exception;
    }

    /** Runs {@code load} in rounds (about 10 s each, if it keeps to that) until every compiler has settled. */
    void run(Load load) throws Exception {
        Duration round = Duration.ofSeconds(10);
        long deadline = System.nanoTime() + MOST.toNanos();
        double[] compiling = compilationSeconds();
        while (true) {
            long started = System.nanoTime();
            load.run(round);
            double took = (System.nanoTime() - started) / 1e9;
            double[] now = compilationSeconds();
            double busiest = 0;
            for (int i = 0; i < now.length; i++) {
                busiest = Math.max(busiest, now[i] - compiling[i]);
            }
            System.out.printf("Warming up: the busiest JIT compiler compiled for %.1f s in the last %.0f s%n", busiest,
                    took);
            if (busiest < took * 0.02 || System.nanoTime() > deadline) {
                return;
            }
            compiling = now;
        }
    }

    private double[] compilationSeconds() throws Exception {
        double[] seconds = new double[services.size() + 1];
        seconds[services.size()] = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0;
        for (int i = 0; i < services.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(services.get(i)
                    + "/actuator/metrics/jvm.compilation.time")).header("Authorization", "Bearer " + opsToken).build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher total = VALUE.matcher(answer.body());
            if (answer.statusCode() != 200 || !total.find()) {
                throw new IllegalStateException(services.get(i) + " jvm.compilation.time answered "
                        + answer.statusCode() + ": " + answer.body());
            }
            seconds[i] = Double.parseDouble(total.group(1)) / 1000;
        }
        return seconds;
    }
}
