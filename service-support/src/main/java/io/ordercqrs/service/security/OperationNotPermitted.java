package io.ordercqrs.service.security;

/** The caller is known but their role does not allow this operation. */
public class OperationNotPermitted extends RuntimeException {

    public OperationNotPermitted(String message) {
        super(message);
    }
}
