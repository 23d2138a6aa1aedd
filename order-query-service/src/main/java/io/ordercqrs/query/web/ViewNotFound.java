package io.ordercqrs.query.web;

/** No view of that id, or none the caller may see: both answer the same, so nothing leaks. */
public class ViewNotFound extends RuntimeException {

    public ViewNotFound(String what, Object id) {
        super("No " + what + " " + id);
    }
}
