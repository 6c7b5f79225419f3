package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes routes ConfigMap is a list of files (kustomize takes no globs): a flow added to
 * routes/ and forgotten there would silently be missing from every pod.
 */
class KubernetesManifestsTest {

    @Test
    void the_routes_config_map_holds_every_file_of_the_routes_folder() throws IOException {
        List<String> listed = Files.readAllLines(Path.of("deploy/kubernetes/kustomization.yaml")).stream()
                .map(String::trim)
                .filter(line -> line.startsWith("- ../../routes/") && !line.startsWith("- ../../routes/templates/"))
                .map(line -> line.substring("- ../../routes/".length()))
                .sorted()
                .toList();
        List<String> routes;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            routes = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertThat(listed).isEqualTo(routes);
    }

    @Test
    void the_templates_config_map_and_the_mount_hold_every_ticket_template() throws IOException {
        List<String> listed = Files.readAllLines(Path.of("deploy/kubernetes/kustomization.yaml")).stream()
                .map(String::trim)
                .filter(line -> line.startsWith("- ../../routes/templates/"))
                .map(line -> line.substring("- ../../routes/templates/".length()))
                .sorted()
                .toList();
        List<String> templates;
        try (Stream<Path> files = Files.list(Path.of("routes/templates"))) {
            templates = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(listed).isEqualTo(templates);
        String deployment = Files.readString(Path.of("deploy/kubernetes/deployment.yaml"));
        assertThat(templates).allSatisfy(t -> assertThat(deployment).contains("{key: " + t + ", path: templates/" + t + "}"));
    }

    @Test
    void the_probes_and_ports_are_those_the_application_serves() throws IOException {
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            app.load(in);
        }
        String deployment = Files.readString(Path.of("deploy/kubernetes/deployment.yaml"));
        assertThat(deployment)
                .contains("path: /observe/health/live")
                .contains("path: /observe/health/ready")
                .contains("containerPort: " + app.getProperty("camel.management.port"))
                .contains("containerPort: " + app.getProperty("camel.server.port"));
    }

    @Test
    void the_management_port_is_not_published_outside_the_pod_and_health_is_brief_unless_asked() throws IOException {
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            app.load(in);
        }
        String management = app.getProperty("camel.management.port");
        String service = Files.readString(Path.of("deploy/kubernetes/service.yaml"));
        assertThat(service).contains("port: " + app.getProperty("camel.server.port"))
                .doesNotContain("port: " + management).doesNotContain("targetPort: management");
        assertThat(Files.readAllLines(Path.of("deploy/kubernetes/kustomization.yaml"))).contains("  - network-policy.yaml");
        String policy = Files.readString(Path.of("deploy/kubernetes/network-policy.yaml"));
        assertThat(policy).contains("kind: NetworkPolicy").contains("- Ingress")
                .contains("app.kubernetes.io/name: graph-security-routes")
                .containsSubsequence("- from:", "namespaceSelector:", "- port: management");
        assertThat(policy.split("- port: management")[0]).as("the only rule without a 'from' is the webhook port's")
                .containsSubsequence("- ports:", "- port: webhook", "- from:");
        assertThat(app.getProperty("camel.health.exposure-level")).isEqualTo("oneline");
        assertThat(app.getProperty("camel.management.host")).isEqualTo("127.0.0.1");
    }
}
