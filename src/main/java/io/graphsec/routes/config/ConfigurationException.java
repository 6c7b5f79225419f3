package io.graphsec.routes.config;

/**
 * A start stopped by the configuration (a missing or unreadable file, a missing key): its message is
 * the whole story for an operator (the key, the path or value, the fix), so the standalone app prints
 * it as one ERROR line without a stack trace and exits non-zero.
 */
public class ConfigurationException extends IllegalStateException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The configuration problem in a failure's cause chain (Camel wraps what a binder throws), if any. */
    public static ConfigurationException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException problem) {
                return problem;
            }
        }
        return null;
    }
}
