package io.graphsec.routes.templates;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A template's text from {@code file:path}, {@code classpath:path} or a plain file path, as UTF-8. */
final class TemplateFiles {

    private TemplateFiles() {
    }

    static String read(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length()).replaceFirst("^/", "");
            try (InputStream in = AlertTemplate.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new FileNotFoundException("no " + name + " on the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }
}
