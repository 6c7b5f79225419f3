package io.graphsec.routes.support;

import java.util.Map;

/** The second tenant of the multi-tenant tests, "fabrikam": its Entra tenant and app registration. */
public final class SecondTenant {

    public static final String NAME = "fabrikam";
    public static final String TENANT = "99999999-8888-7777-6666-555555555555";
    public static final String CLIENT = "ffffffff-eeee-dddd-cccc-bbbbbbbbbbbb";
    public static final String SECRET = "fabrikam-S3cret~value";

    private SecondTenant() {
    }

    /** Adds fabrikam to the app's tenants (graph.tenants), with its credentials. */
    public static Map<String, String> configure(Map<String, String> props) {
        props.put("graph.tenants", NAME);
        props.put("graph.tenant." + NAME + ".tenant-id", TENANT);
        props.put("graph.tenant." + NAME + ".client-id", CLIENT);
        props.put("graph.tenant." + NAME + ".client-secret", SECRET);
        return props;
    }
}
