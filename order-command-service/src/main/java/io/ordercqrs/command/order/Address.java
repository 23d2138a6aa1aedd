package io.ordercqrs.command.order;

import io.ordercqrs.events.ShippingAddress;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** Where an order is shipped to. */
@Embeddable
public class Address {

    private String recipient;

    private String street;

    @Column(name = "postal_code")
    private String postalCode;

    private String city;

    private String country;

    protected Address() {
    }

    public Address(String recipient, String street, String postalCode, String city, String country) {
        this.recipient = recipient;
        this.street = street;
        this.postalCode = postalCode;
        this.city = city;
        this.country = country;
    }

    public String recipient() {
        return recipient;
    }

    public String street() {
        return street;
    }

    public String postalCode() {
        return postalCode;
    }

    public String city() {
        return city;
    }

    public String country() {
        return country;
    }

    ShippingAddress toEventAddress() {
        return new ShippingAddress(recipient, street, postalCode, city, country);
    }
}
