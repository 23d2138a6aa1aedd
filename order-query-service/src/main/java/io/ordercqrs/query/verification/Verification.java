package io.ordercqrs.query.verification;

import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.ViewSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Compares every order view and customer summary with the command side's current state and
 * reports each difference. Both sides are read in id order, a page at a time, and merged, so
 * memory stays bounded however large the data; the report lists the first differences and counts
 * them all. Views are eventually consistent: differences for events still in flight show up until
 * they are applied.
 */
@Component
public class Verification {

    static final int PAGE = 500;
    static final int MAX_LISTED = 1000;

    private final MongoTemplate mongo;
    private final CommandService commandService;
    private final CustomerOrderSummaries summaries;
    private final ActiveViews active;

    Verification(MongoTemplate mongo, CommandService commandService, CustomerOrderSummaries summaries,
            ActiveViews active) {
        this.mongo = mongo;
        this.commandService = commandService;
        this.summaries = summaries;
        this.active = active;
    }

    /**
     * One difference.
     *
     * @param kind     MISSING (the view lacks it), EXTRA (the view has what the source has not) or MISMATCH
     * @param view     the view it is in
     * @param id       the order or customer id
     * @param field    for a mismatch: the field
     * @param expected for a mismatch: the source's value
     * @param actual   for a mismatch: the view's value
     */
    public record Difference(String kind, String view, String id, String field, String expected, String actual) {
    }

    /** The report. */
    public record Report(long ordersChecked, long customersChecked, long differenceCount, List<Difference> differences,
            boolean truncated) {
    }

    public Report verify(String token) {
        List<Difference> listed = new ArrayList<>();
        long[] count = new long[1];
        Function<Difference, Void> report = difference -> {
            count[0]++;
            if (listed.size() < MAX_LISTED) {
                listed.add(difference);
            }
            return null;
        };
        ViewSet views = active.current();
        long orders = merge(after -> commandService.snapshot("orders", after, PAGE, token),
                after -> page(OrderView.class, views.collection(OrderView.VIEW), after), OrderView::id,
                "order_views", this::compareOrder, report);
        long customers = merge(after -> commandService.snapshot("customers", after, PAGE, token),
                after -> summaryPage(views, after), CustomerOrderSummary::id, "customer_order_summaries",
                this::compareSummary, report);
        return new Report(orders, customers, count[0], listed, count[0] > listed.size());
    }

    private <V> long merge(Function<UUID, List<JsonNode>> sourcePages, Function<String, List<V>> viewPages,
            Function<V, String> viewId, String viewName, Comparer<V> compare, Function<Difference, Void> report) {
        Iterator<JsonNode> source = new Paged<>(after -> sourcePages.apply(after == null ? null : UUID.fromString(after)),
                node -> node.get("id").asString());
        Iterator<V> views = new Paged<>(viewPages, viewId);
        JsonNode expected = source.hasNext() ? source.next() : null;
        V actual = views.hasNext() ? views.next() : null;
        long checked = 0;
        while (expected != null || actual != null) {
            int order = expected == null ? 1 : actual == null ? -1
                    : expected.get("id").asString().compareTo(viewId.apply(actual));
            if (order < 0) {
                report.apply(new Difference("MISSING", viewName, expected.get("id").asString(), null, null, null));
                expected = source.hasNext() ? source.next() : null;
                checked++;
            }
            else if (order > 0) {
                report.apply(new Difference("EXTRA", viewName, viewId.apply(actual), null, null, null));
                actual = views.hasNext() ? views.next() : null;
            }
            else {
                String id = viewId.apply(actual);
                compare.compare(expected, actual, (field, want, got) -> report.apply(new Difference("MISMATCH",
                        viewName, id, field, want, got)));
                expected = source.hasNext() ? source.next() : null;
                actual = views.hasNext() ? views.next() : null;
                checked++;
            }
        }
        return checked;
    }

    private void compareOrder(JsonNode expected, OrderView actual, Mismatches mismatches) {
        check(mismatches, "customerId", expected.get("customerId").asString(), actual.customerId());
        check(mismatches, "customerName", expected.get("customerName").asString(), actual.customerName());
        check(mismatches, "customerEmail", expected.get("customerEmail").asString(), actual.customerEmail());
        check(mismatches, "status", expected.get("status").asString(), String.valueOf(actual.status()));
        check(mismatches, "version", expected.get("version").asString(), Long.toString(actual.version()));
        check(mismatches, "total", money(expected.get("total").asString(), expected.get("currency").asString()),
                actual.total() == null ? null : money(actual.total().amount(), actual.total().currency()));
        check(mismatches, "lines", expected.get("lines").asString(), Integer.toString(actual.lines().size()));
        check(mismatches, "placedAt", Instant.parse(expected.get("placedAt").asString()).truncatedTo(ChronoUnit.MILLIS)
                .toString(), String.valueOf(actual.placedAt()));
    }

    private void compareSummary(JsonNode expected, CustomerOrderSummary actual, Mismatches mismatches) {
        check(mismatches, "name", expected.get("name").asString(), actual.name());
        check(mismatches, "email", expected.get("email").asString(), actual.email());
        check(mismatches, "orderCount", expected.get("orderCount").asString(), Long.toString(actual.orderCount()));
        Map<String, Long> counts = new TreeMap<>();
        expected.get("countsByStatus").properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        Map<String, Long> actualCounts = new TreeMap<>();
        actual.countsByStatus().forEach((status, n) -> actualCounts.put(status.name(), n));
        check(mismatches, "countsByStatus", counts.toString(), actualCounts.toString());
        Map<String, String> spend = new TreeMap<>();
        expected.get("lifetimeSpend").properties().forEach(entry -> spend.put(entry.getKey(),
                money(entry.getValue().asString(), entry.getKey())));
        Map<String, String> actualSpend = new TreeMap<>();
        for (Amount amount : actual.lifetimeSpend()) {
            actualSpend.put(amount.currency(), money(amount.amount(), amount.currency()));
        }
        check(mismatches, "lifetimeSpend", spend.toString(), actualSpend.toString());
    }

    private static void check(Mismatches mismatches, String field, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            mismatches.add(field, expected, actual);
        }
    }

    private static String money(String amount, String currency) {
        return new BigDecimal(amount).stripTrailingZeros().toPlainString() + " " + currency;
    }

    /** The summaries of the next page of the views' customers. */
    private List<CustomerOrderSummary> summaryPage(ViewSet views, String after) {
        List<String> ids = page(CustomerView.class, views.collection(CustomerView.VIEW), after).stream()
                .map(CustomerView::id).toList();
        return List.copyOf(summaries.in(views).findTotals(ids).values());
    }

    private <V> List<V> page(Class<V> type, String collection, String after) {
        Query query = new Query().with(Sort.by("_id")).limit(PAGE);
        if (after != null) {
            query.addCriteria(Criteria.where("_id").gt(after));
        }
        return mongo.find(query, type, collection);
    }

    @FunctionalInterface
    private interface Comparer<V> {
        void compare(JsonNode expected, V actual, Mismatches mismatches);
    }

    @FunctionalInterface
    private interface Mismatches {
        void add(String field, String expected, String actual);
    }

    /** Iterates a paged source, fetching the page after the last id when one runs out. */
    private static final class Paged<T> implements Iterator<T> {

        private final Function<String, List<T>> pages;
        private final Function<T, String> id;
        private Iterator<T> current = List.<T>of().iterator();
        private String last;
        private boolean exhausted;

        Paged(Function<String, List<T>> pages, Function<T, String> id) {
            this.pages = pages;
            this.id = id;
        }

        @Override
        public boolean hasNext() {
            if (!current.hasNext() && !exhausted) {
                List<T> page = pages.apply(last);
                exhausted = page.size() < PAGE;
                current = page.iterator();
                if (!page.isEmpty()) {
                    last = id.apply(page.get(page.size() - 1));
                }
            }
            return current.hasNext();
        }

        @Override
        public T next() {
            return current.next();
        }
    }
}
