package dev.parley.common;

import io.micronaut.aop.Around;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read that may run on the read replica: the connections the method takes (its {@code @Connectable}
 * or {@code @Transactional(readOnly = true)} one included, this advice wraps them) come from the
 * replica when {@link ReplicaRouting} finds it up, within the allowed lag, and past the caller's last
 * write: the method's {@link LastWrite} argument (or {@code Optional} of one); without one the caller is
 * anonymous and any lag within the limit will do. The method must not write.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
@Around
public @interface ReplicaRead {
}
