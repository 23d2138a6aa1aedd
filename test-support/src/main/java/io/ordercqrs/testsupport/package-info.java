/**
 * The test fixture both services share: real servers started once per test JVM, either without
 * Docker (embedded PostgreSQL, a Kafka broker in a child JVM, mongo-java-server) or with
 * Testcontainers where a Docker engine runs.
 */
package io.ordercqrs.testsupport;
