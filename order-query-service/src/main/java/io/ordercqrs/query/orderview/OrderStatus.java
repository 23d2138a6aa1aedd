package io.ordercqrs.query.orderview;

/** Where an order stands, as its events tell it. */
public enum OrderStatus {
    PLACED, PAID, SHIPPED, DELIVERED, CANCELLED;

    /** Whether the customer has paid for the order and not had it cancelled since. */
    public boolean isPaid() {
        return this == PAID || this == SHIPPED || this == DELIVERED;
    }
}
