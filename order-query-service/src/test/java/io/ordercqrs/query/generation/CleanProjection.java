package io.ordercqrs.query.generation;

import io.ordercqrs.events.Topics;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.Delivery;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewSet;
import io.ordercqrs.query.replay.TopicScan;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Every event on the topics projected once, in one pass, into a scratch set of views: what any
 * generation must equal once it has caught up. Records no projection can apply are left out.
 */
final class CleanProjection {

    private final MongoTemplate mongo;
    private final CustomerOrderSummaries summaries;
    private final ViewSet views;

    private CleanProjection(MongoTemplate mongo, CustomerOrderSummaries summaries, ViewSet views) {
        this.mongo = mongo;
        this.summaries = summaries;
        this.views = views;
    }

    static CleanProjection of(TopicScan topics, EventProjection projection, MongoTemplate mongo,
            CustomerOrderSummaries summaries) {
        ViewSet scratch = ViewSet.scratch("clean_" + UUID.randomUUID().toString().replace("-", ""));
        try (TopicScan.Scan scan = topics.open(Topics.ALL, new TopicScan.Earliest())) {
            scan.readAll(batch -> projection.projectPastFailures(batch, scratch, Delivery.IN_ORDER,
                    (record, failure) -> { }));
        }
        return new CleanProjection(mongo, summaries, scratch);
    }

    /** Every order view of {@code views}, as readers see them, by id. */
    static List<OrderView> orderViews(MongoTemplate mongo, ViewSet views) {
        return mongo.findAll(OrderView.class, views.collection(OrderView.VIEW)).stream().map(OrderView::asSeen)
                .sorted(Comparator.comparing(OrderView::id)).toList();
    }

    List<OrderView> orderViews() {
        return orderViews(mongo, views);
    }

    List<CustomerOrderSummary> summaries(Collection<String> customers) {
        return summaries(summaries, views, customers);
    }

    static List<CustomerOrderSummary> summaries(CustomerOrderSummaries summaries, ViewSet views,
            Collection<String> customers) {
        return customers.stream().sorted().map(id -> summaries.in(views).findById(id).orElseThrow()).toList();
    }
}
