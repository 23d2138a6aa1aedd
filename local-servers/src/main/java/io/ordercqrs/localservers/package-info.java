/**
 * Real servers on one machine without Docker: embedded PostgreSQL binaries, an Apache Kafka KRaft
 * broker in a child JVM, and a MongoDB wire-protocol server. Used by the tests, the benchmarks and
 * the local launcher.
 */
package io.ordercqrs.localservers;
