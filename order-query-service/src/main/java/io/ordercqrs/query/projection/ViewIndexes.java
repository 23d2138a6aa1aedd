package io.ordercqrs.query.projection;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.stereotype.Component;

/**
 * Creates the index every query path needs, at start-up, before any consumer writes: for the live
 * views, the dead letters, and for any fresh set of views a rebuild fills.
 */
@Component
public class ViewIndexes implements InitializingBean {

    private final MongoTemplate mongo;

    ViewIndexes(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void afterPropertiesSet() {
        ensure(ViewCollections.LIVE);
        IndexOperations deadLetters = mongo.indexOps("dead_letters");
        deadLetters.createIndex(new Index().on("topic", Sort.Direction.ASC).on("key", Sort.Direction.ASC)
                .on("status", Sort.Direction.ASC).named("aggregate_status"));
        deadLetters.createIndex(new Index().on("status", Sort.Direction.ASC).on("parkedAt", Sort.Direction.ASC)
                .named("status_parked_at"));
    }

    /** The indexes of one set of views: lists by customer, by status and by time, newest first. */
    public void ensure(ViewCollections views) {
        IndexOperations orders = mongo.indexOps(views.orderViews());
        orders.createIndex(new Index().on("customerId", Sort.Direction.ASC).on("placedAt", Sort.Direction.DESC)
                .named("customer_placed_at"));
        orders.createIndex(new Index().on("status", Sort.Direction.ASC).on("placedAt", Sort.Direction.DESC)
                .named("status_placed_at"));
        orders.createIndex(new Index().on("placedAt", Sort.Direction.DESC).named("placed_at"));
    }
}
