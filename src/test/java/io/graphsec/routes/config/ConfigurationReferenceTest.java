package io.graphsec.routes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the reference of application.properties: an operator who reads a key there
 * must find it in the file, and a key added to the file must be explained there. A key is documented
 * when it stands, in backquotes, in the first cell of a table row of the page.
 */
class ConfigurationReferenceTest {

    private static final Path PROPERTIES = Path.of("application.properties");
    private static final Path REFERENCE = Path.of("docs/configuration.md");

    /** A full key: no placeholder such as {@code <name>}, no wildcard. */
    private static final Pattern KEY = Pattern.compile("`((?:graph|camel)\\.[A-Za-z0-9.-]+)`");

    /** A key without a fixed default is shown in the file as a commented-out example: {@code #graph.base-url = ...}. */
    private static final Pattern COMMENTED_EXAMPLE = Pattern.compile("^#\\s*(graph\\.[A-Za-z0-9.-]+)\\s*[=:]", Pattern.MULTILINE);

    @Test
    void every_key_set_in_application_properties_is_documented_in_the_configuration_reference() throws IOException {
        Set<String> set = keysSet();
        Set<String> documented = keysDocumented();
        assertThat(set).as("keys read from %s", PROPERTIES).hasSizeGreaterThan(100);

        Set<String> undocumented = new TreeSet<>(set);
        undocumented.removeAll(documented);
        assertThat(undocumented)
                .as("keys set in %s but not in a table of %s (add a row: | `key` | default | meaning |)",
                        PROPERTIES, REFERENCE)
                .isEmpty();
    }

    @Test
    void every_graph_key_the_configuration_reference_documents_is_in_application_properties() throws IOException {
        Set<String> known = keysSet();
        known.addAll(commentedExamples());
        Set<String> documented = keysDocumented();
        assertThat(documented).as("keys documented in %s", REFERENCE).hasSizeGreaterThan(100);

        Set<String> unknown = new TreeSet<>();
        for (String key : documented) {
            if (key.startsWith("graph.") && !known.contains(key)) {
                unknown.add(key);
            }
        }
        assertThat(unknown)
                .as("graph.* keys documented in %s that %s neither sets nor shows as a commented-out example",
                        REFERENCE, PROPERTIES)
                .isEmpty();
    }

    private static Set<String> keysSet() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return new TreeSet<>(properties.stringPropertyNames());
    }

    private static Set<String> commentedExamples() throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = COMMENTED_EXAMPLE.matcher(Files.readString(PROPERTIES, StandardCharsets.UTF_8));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Set<String> keysDocumented() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 3) {
                continue;
            }
            Matcher m = KEY.matcher(cells[1]);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }
}
