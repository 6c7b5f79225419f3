package io.graphsec.routes.templates;

import io.graphsec.routes.config.ConfigFolder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A template's text, as UTF-8, from {@code classpath:path}, {@code file:path}, an absolute path, or a
 * relative path: looked up in the configuration folder first, then in the copy the jar carries
 * under graph-security/ (as mapping files are), so a recipe runs from any folder and an edited copy
 * in the folder wins.
 */
final class TemplateFiles {

    private TemplateFiles() {
    }

    static String read(String location, Path folder) throws IOException {
        if (location.startsWith("classpath:")) {
            return packaged(location.substring("classpath:".length()).replaceFirst("^/", ""));
        }
        if (location.startsWith("file:")) {
            return Files.readString(Path.of(location.substring("file:".length())), StandardCharsets.UTF_8);
        }
        Path path = Path.of(location);
        Path inFolder = folder.resolve(path);
        if (path.isAbsolute() || Files.isRegularFile(inFolder)) {
            return Files.readString(inFolder, StandardCharsets.UTF_8);
        }
        try {
            return packaged(ConfigFolder.PACKAGED + location.replace('\\', '/'));
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(inFolder + " does not exist and the jar carries no " + location);
        }
    }

    private static String packaged(String name) throws IOException {
        try (InputStream in = AlertTemplate.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new FileNotFoundException("no " + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
