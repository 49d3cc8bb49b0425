package io.pbftledger.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts what reaches the database through the context's DataSource, whoever calls it (Hibernate,
 * JdbcTemplate): statement executions (a JDBC batch counts once) and commits. Import it into a test
 * context; it wraps every DataSource bean.
 */
final class JdbcCallCounter implements BeanPostProcessor {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource ? wrap(DataSource.class, dataSource) : bean;
    }

    void reset() {
        executions.set(0);
        commits.set(0);
    }

    /** Statements executed since the last reset; one JDBC batch is one. */
    int executions() {
        return executions.get();
    }

    /** Commits since the last reset. */
    int commits() {
        return commits.get();
    }

    private <T> T wrap(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            count(method);
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return wrapResult(method, result);
        }));
    }

    private void count(Method method) {
        if (Statement.class.isAssignableFrom(method.getDeclaringClass()) && EXECUTIONS.contains(method.getName())) {
            executions.incrementAndGet();
        } else if (method.getDeclaringClass() == Connection.class && method.getName().equals("commit")) {
            commits.incrementAndGet();
        }
    }

    @SuppressWarnings("unchecked")
    private Object wrapResult(Method method, Object result) {
        Class<?> type = method.getReturnType();
        if (result != null && (type == Connection.class || (type.isInterface() && Statement.class.isAssignableFrom(type)))) {
            return wrap((Class<Object>) type, result);
        }
        return result;
    }
}
