package io.graphsec.routes.auth;

/** The token could not be obtained: wrong tenant, client, secret or certificate, or the authority is unreachable. */
public class GraphAuthenticationException extends RuntimeException {
    public GraphAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
