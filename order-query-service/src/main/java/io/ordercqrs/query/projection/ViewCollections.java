package io.ordercqrs.query.projection;

/**
 * The collections one set of views lives in. The live set serves queries; a rebuild writes a
 * fresh set beside it and then takes its place.
 *
 * @param orderViews the order views
 * @param customers  the customers' details the views join in
 * @param summaries  the customer order summaries
 */
public record ViewCollections(String orderViews, String customers, String summaries) {

    public static final ViewCollections LIVE = new ViewCollections("order_views", "customers", "customer_order_summaries");

    /** The live names with a suffix, for a rebuild's fresh copy. */
    public static ViewCollections suffixed(String suffix) {
        return new ViewCollections(LIVE.orderViews + suffix, LIVE.customers + suffix, LIVE.summaries + suffix);
    }
}
