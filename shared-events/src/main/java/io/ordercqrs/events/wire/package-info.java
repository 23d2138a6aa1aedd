/**
 * How events travel: the envelope, the codec between an event and a Kafka record (JSON value plus
 * CloudEvents Kafka-binding headers), upcasters for older schema versions and the decoding errors.
 */
package io.ordercqrs.events.wire;
