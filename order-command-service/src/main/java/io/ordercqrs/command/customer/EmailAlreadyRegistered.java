package io.ordercqrs.command.customer;

/** Another customer registered with this email address. */
public class EmailAlreadyRegistered extends RuntimeException {

    public EmailAlreadyRegistered(String email) {
        super("The email address cannot be used; choose another one");
    }
}
