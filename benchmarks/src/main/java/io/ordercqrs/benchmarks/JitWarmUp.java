package io.ordercqrs.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a load until the services' JIT compilers have settled: each spent under 2% of the last
 * round compiling, as its {@code jvm.compilation.time} metric tells, at most five minutes. The
 * phases after it measure the services as they run for hours, not their first minutes; a
 * compiler still busy takes a core from the figures on this machine.
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

    /** Runs {@code load} in 10-second rounds until every service's compiler has settled. */
    void run(Load load) throws Exception {
        Duration round = Duration.ofSeconds(10);
        long deadline = System.nanoTime() + MOST.toNanos();
        double[] compiling = compilationSeconds();
        while (true) {
            load.run(round);
            double[] now = compilationSeconds();
            double busiest = 0;
            for (int i = 0; i < now.length; i++) {
                busiest = Math.max(busiest, now[i] - compiling[i]);
            }
            System.out.printf("Warming up: the busiest JIT compiler compiled for %.1f s in the last %d s%n", busiest,
                    round.toSeconds());
            if (busiest < round.toSeconds() * 0.02 || System.nanoTime() > deadline) {
                return;
            }
            compiling = now;
        }
    }

    private double[] compilationSeconds() throws Exception {
        double[] seconds = new double[services.size()];
        for (int i = 0; i < seconds.length; i++) {
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
