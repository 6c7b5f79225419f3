package io.graphsec.routes.templates;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Locale;

/**
 * How a template's values are escaped, named by its file: {@code x.json} or {@code x.json.mustache}
 * writes each value as the content of a JSON string (the template puts the quotes around it);
 * {@code x.txt} or {@code x.txt.mustache} writes it as it is. Mustache's own HTML escaping would
 * mangle both (a quote becomes {@code &quot;} in a JSON body or a chat message).
 */
enum TemplateKind {
    JSON, TEXT;

    static TemplateKind of(String file) {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".mustache")) {
            name = name.substring(0, name.length() - ".mustache".length());
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".txt")) {
            return TEXT;
        }
        throw new IllegalStateException("template " + file
                + " must end in .json or .txt (optionally followed by .mustache): the ending chooses how values are escaped");
    }

    String escape(String value) {
        return this == JSON ? new String(JsonStringEncoder.getInstance().quoteAsString(value)) : value;
    }
}
