package io.ordercqrs.command.async;

import java.lang.reflect.Method;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.ControllerAdviceBean;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

/**
 * The problem a command that ran later was refused with: the answer the application's
 * {@code @ExceptionHandler}s give the same exception over HTTP, found the way Spring MVC finds
 * them (advices in their order, the closest exception type first), so a failed asynchronous
 * command reports exactly what the synchronous request would have answered.
 */
@Component
class CommandRefusals {

    private final SingletonSupplier<List<Advice>> advices;

    CommandRefusals(ApplicationContext context) {
        this.advices = SingletonSupplier.of(() -> ControllerAdviceBean.findAnnotatedBeans(context).stream()
                .map(advice -> new Advice(advice.resolveBean(),
                        new ExceptionHandlerMethodResolver(advice.getBeanType())))
                .toList());
    }

    ResponseEntity<ProblemDetail> of(Exception failure) {
        for (Advice advice : advices.obtain()) {
            Method handler = advice.handlers().resolveMethod(failure);
            if (handler != null && handler.getParameterCount() == 1) {
                ReflectionUtils.makeAccessible(handler);
                Object answer = ReflectionUtils.invokeMethod(handler, advice.bean(), failure);
                if (answer instanceof ProblemDetail problem) {
                    return ResponseEntity.status(problem.getStatus()).body(problem);
                }
                if (answer instanceof ResponseEntity<?> entity && entity.getBody() instanceof ProblemDetail problem) {
                    return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).body(problem);
                }
            }
        }
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The command failed and changed nothing"));
    }

    private record Advice(Object bean, ExceptionHandlerMethodResolver handlers) {
    }
}
