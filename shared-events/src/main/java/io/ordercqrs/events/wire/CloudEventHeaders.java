package io.ordercqrs.events.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names of the Kafka headers an event travels with: the CloudEvents Kafka protocol binding in
 * binary content mode ({@code ce_*} attributes, {@code content-type}), the {@code sequence} and
 * {@code schemaversion} extensions and the W3C {@code traceparent}.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** The aggregate's version after the event (CloudEvents sequence extension). */
    public static final String SEQUENCE = "ce_sequence";
    /** Schema version of the payload (extension attribute). */
    public static final String SCHEMA_VERSION = "ce_schemaversion";
    /** Correlation id of the causing request (extension attribute). */
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CONTENT_TYPE = "content-type";
    /** W3C trace context of the causing request. */
    public static final String TRACEPARENT = "traceparent";

    static final String SPEC_VERSION_VALUE = "1.0";
    static final String JSON = "application/json";

    private CloudEventHeaders() {
    }

    static void put(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The last value of the named header as a UTF-8 string, or {@code null}. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String require(Headers headers, String name) {
        String value = get(headers, name);
        if (value == null || value.isBlank()) {
            throw new MalformedEvent("Kafka record lacks the '" + name + "' header");
        }
        return value;
    }
}
