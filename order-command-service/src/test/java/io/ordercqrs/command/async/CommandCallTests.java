package io.ordercqrs.command.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.service.security.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code Prefer} headers ask for an asynchronous answer (RFC 7240: tokens are case-insensitive). */
class CommandCallTests {

    @ParameterizedTest(name = "Prefer: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "respond-async | true",
            "Respond-Async | true",
            "wait=10, respond-async | true",
            "respond-async; foo=bar | true",
            "return=minimal | false",
            "respond-asynchronously | false",
            "'' | false"})
    void asksForAnAsynchronousAnswerOnlyWithTheRespondAsyncPreference(String prefer, boolean async) {
        CommandCall call = new CommandCall(Caller.ops("ops"), "POST /orders", null, null, prefer);

        assertThat(call.respondAsync()).isEqualTo(async);
    }

    @Test
    void waitsWithoutTheHeader() {
        assertThat(new CommandCall(Caller.ops("ops"), "POST /orders", null, null, null).respondAsync()).isFalse();
    }
}
