package io.graphsec.routes.graph;

/** A Graph request refused before it was sent: its URL could steer camel-http or leave Graph. */
public final class UnsafeGraphRequestException extends IllegalArgumentException {

    public UnsafeGraphRequestException(String message) {
        super(message);
    }
}
