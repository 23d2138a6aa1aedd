package io.ordercqrs.command.order;

/** Where an order is in its life: placed, then paid, shipped and delivered, or cancelled before shipping. */
public enum OrderStatus {
    PLACED, PAID, SHIPPED, DELIVERED, CANCELLED
}
