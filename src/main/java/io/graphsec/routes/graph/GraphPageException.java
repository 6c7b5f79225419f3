package io.graphsec.routes.graph;

/** A page Graph returned cannot be used as it is: not JSON, no value array, a nextLink that leaves Graph. */
public class GraphPageException extends RuntimeException {
    public GraphPageException(String message) {
        super(message);
    }

    public GraphPageException(String message, Throwable cause) {
        super(message, cause);
    }
}
