/** The ops command line: replay, rebuild, dead letters and verify over the admin API. */
package io.ordercqrs.opscli;
