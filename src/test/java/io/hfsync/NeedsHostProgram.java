package io.hfsync;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test drives these programs of the machine: skipped with one line where one is missing, failed under CI=true. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MachineServices.class)
public @interface NeedsHostProgram {

    HostProgram[] value();
}
