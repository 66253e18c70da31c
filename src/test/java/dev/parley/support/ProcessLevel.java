package dev.parley.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts service processes, kills them, cuts the database off or drives a browser:
 * slow, so a developer can leave these out with {@code scripts/test.sh -DexcludedGroups=process}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("process")
public @interface ProcessLevel {
}
