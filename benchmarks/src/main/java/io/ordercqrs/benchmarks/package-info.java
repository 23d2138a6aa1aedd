/** Benchmarks that run the real services against real servers and print what they measured. */
package io.ordercqrs.benchmarks;
