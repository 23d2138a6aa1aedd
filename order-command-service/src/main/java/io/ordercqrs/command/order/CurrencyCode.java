package io.ordercqrs.command.order;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Currency;

/** The value is an ISO 4217 currency code such as {@code EUR}. */
@Documented
@Constraint(validatedBy = CurrencyCode.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CurrencyCode {

    String message() default "must be an ISO 4217 currency code such as EUR";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Accepts known three-letter currency codes; leaves null to {@code @NotNull}. */
    class Validator implements ConstraintValidator<CurrencyCode, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Parsed.currency(value) != null;
        }
    }

    /** Parses currency codes without throwing. */
    final class Parsed {

        private Parsed() {
        }

        static Currency currency(String code) {
            if (code == null || !code.matches("[A-Z]{3}")) {
                return null;
            }
            try {
                return Currency.getInstance(code);
            }
            catch (IllegalArgumentException unknown) {
                return null;
            }
        }
    }
}
