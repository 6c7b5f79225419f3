package io.graphsec.routes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphSettingsTest {

    private static GraphSettings settings(Map<String, String> values) {
        return GraphSettings.from(k -> Optional.ofNullable(values.get(k)));
    }

    private static Map<String, String> complete() {
        Map<String, String> m = new HashMap<>();
        m.put("graph.tenant-id", "t1");
        m.put("graph.client-id", "c1");
        m.put("graph.client-secret", "very-secret");
        // As application.properties sets them.
        m.put("graph.cloud", "global");
        m.put("graph.token.renew-before", "PT5M");
        return m;
    }

    @Test
    void each_cloud_sets_graph_host_authority_and_scope_together() {
        Map<String, String> m = complete();
        m.put("graph.cloud", "usgov-dod");
        GraphSettings s = settings(m);
        assertThat(s.graphBaseUrl()).isEqualTo("https://dod-graph.microsoft.us");
        assertThat(s.authorityUrl()).isEqualTo("https://login.microsoftonline.us/t1/");
        assertThat(s.scope()).isEqualTo("https://dod-graph.microsoft.us/.default");

        m.put("graph.cloud", "usgov");
        assertThat(settings(m).graphBaseUrl()).isEqualTo("https://graph.microsoft.us");
        assertThat(settings(m).scope()).isEqualTo("https://graph.microsoft.us/.default");

        m.put("graph.cloud", "global");
        assertThat(settings(m).authorityUrl()).isEqualTo("https://login.microsoftonline.com/t1/");
        assertThat(settings(m).customAuthority()).isFalse();
    }

    @Test
    void explicit_hosts_override_the_cloud_and_mark_a_custom_authority() {
        Map<String, String> m = complete();
        m.put("graph.base-url", "https://localhost:9443/");
        m.put("graph.authority-host", "https://localhost:9443");
        GraphSettings s = settings(m);
        assertThat(s.graphBaseUrl()).isEqualTo("https://localhost:9443");
        assertThat(s.authorityUrl()).isEqualTo("https://localhost:9443/t1/");
        assertThat(s.customAuthority()).isTrue();
        assertThat(s.scope()).isEqualTo("https://graph.microsoft.com/.default");
    }

    @Test
    void the_cloud_and_the_token_renewal_come_from_the_properties_not_from_code() {
        Map<String, String> m = complete();
        m.remove("graph.cloud");
        m.remove("graph.token.renew-before");
        assertThatThrownBy(() -> settings(m)).hasMessageContaining("missing configuration graph.cloud, graph.token.renew-before");
    }

    @Test
    void every_missing_key_is_named_at_once() {
        assertThatThrownBy(() -> settings(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("graph.tenant-id, graph.client-id, graph.client-secret or graph.client-certificate");
    }

    @Test
    void china_is_refused_with_the_reason() {
        Map<String, String> m = complete();
        m.put("graph.cloud", "china");
        assertThatThrownBy(() -> settings(m)).hasMessageContaining("not offered in this cloud");
    }

    @Test
    void plain_http_and_unknown_clouds_are_rejected() {
        Map<String, String> m = complete();
        m.put("graph.base-url", "http://graph.example");
        m.put("graph.cloud", "moon");
        assertThatThrownBy(() -> settings(m))
                .hasMessageContaining("graph.base-url=http://graph.example must be an https URL")
                .hasMessageContaining("graph.cloud=moon is not a known cloud");
    }

    @Test
    void the_secret_never_shows_in_text() {
        GraphSettings s = settings(complete());
        assertThat(s.toString()).doesNotContain("very-secret").contains("credential=secret");
    }

    @Test
    void environment_variable_names_follow_camel() {
        assertThat(GraphSettings.envName("graph.client-secret")).isEqualTo("GRAPH_CLIENT_SECRET");
    }
}
