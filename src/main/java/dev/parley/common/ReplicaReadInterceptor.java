package dev.parley.common;

import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Runs a {@link ReplicaRead} method inside a replica read of its caller's last write. */
@Singleton
@InterceptorBean(ReplicaRead.class)
final class ReplicaReadInterceptor implements MethodInterceptor<Object, Object>, Ordered {

    private final ReplicaRouting routing;

    ReplicaReadInterceptor(ReplicaRouting routing) {
        this.routing = routing;
    }

    @Override
    public Object intercept(MethodInvocationContext<Object, Object> context) {
        // proceed(this): a read run again on the primary goes through the connection advice again.
        return routing.read(lastWrite(context.getParameterValues()), () -> context.proceed(this));
    }

    /** Outside the connection and transaction advice, so that their connection is the routed one. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    private static WalPosition lastWrite(Object[] arguments) {
        for (Object argument : arguments) {
            if (argument instanceof LastWrite caller) {
                return caller.lastWrite();
            }
            if (argument instanceof Optional<?> optional && optional.orElse(null) instanceof LastWrite caller) {
                return caller.lastWrite();
            }
        }
        return WalPosition.START;
    }
}
