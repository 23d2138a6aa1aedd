package io.ordercqrs.command.async;

import io.ordercqrs.service.security.Caller;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;

/**
 * One kind of command a feature offers, runnable now or after it was accepted for later. Created
 * with {@link Commands#register}; its name is stored with every accepted command of the kind, so it
 * must not change between versions.
 *
 * @param name       stable name, such as {@code order.pay}
 * @param type       the command's class, stored as JSON while the command waits
 * @param answerType the class of the answer's body
 * @param aggregate  the aggregate a command changes, such as {@code order:<id>}: accepted commands
 *                   on one aggregate run one at a time, in the order they were accepted
 * @param handler    runs the command as the caller, in the caller's transaction, and answers as
 *                   the synchronous request does
 */
public record CommandKind<C, R>(String name, Class<C> type, Class<R> answerType, Function<C, String> aggregate,
        BiFunction<C, Caller, ResponseEntity<R>> handler) {
}
