package io.graphsec.routes.templates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.camel.Exchange;

/**
 * One template file, rendered against an alert message: its {@code graph*} headers by name
 * ({@code {{graphSeverity}}}), its JSON body's fields under {@code alert} ({@code {{alert.title}}}) and
 * the body itself, compact, as {@code alertJson}. Declared per template in a route file's
 * {@code beans:} with the file's location from configuration, never from a message:
 * <pre>
 * - beans:
 *     - name: graphRecipeSplunkEvent
 *       type: io.graphsec.routes.templates.AlertTemplate
 *       properties:
 *         file: "{{graph.recipes.splunk.template}}"
 * </pre>
 * The file's kind ({@link TemplateKind}) sets how every value is escaped; values are only ever
 * written, never read as a template, an expression or a placeholder. The file is read and compiled
 * once, at the first render, and kept.
 */
public final class AlertTemplate {

    private String file;
    private Path folder = Path.of("");
    private volatile CompiledTemplate compiled;

    /** The configuration folder a relative {@link #setFile file} is looked up in (then the jar's copy); empty: the working directory. */
    public void setFolder(String folder) {
        this.folder = Path.of(folder == null ? "" : folder);
    }

    /** Where the template is: {@code file:path}, {@code classpath:path}, an absolute path, or a path relative to the folder. */
    public void setFile(String file) {
        this.file = file;
    }

    public String getFile() {
        return file;
    }

    /**
     * The template rendered against the exchange's message. A {@code .json} template's output is
     * checked to be one JSON value and written compact, on one line (NDJSON-ready).
     */
    public String render(Exchange exchange) {
        return compiled().render(AlertScope.of(exchange.getMessage(), CompiledTemplate.JSON));
    }

    /** Reads and compiles the template now: a missing or broken file stops the start instead of the first alert. */
    public void compile() {
        compiled();
    }

    private CompiledTemplate compiled() {
        CompiledTemplate c = compiled;
        if (c == null) {
            synchronized (this) {
                c = compiled;
                if (c == null) {
                    c = load();
                    compiled = c;
                }
            }
        }
        return c;
    }

    private CompiledTemplate load() {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("an AlertTemplate bean has no file (set its file property to the template's location)");
        }
        TemplateKind.of(file);
        String text;
        try {
            text = TemplateFiles.read(file, folder.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("template " + file + " cannot be read (" + e + "); check the key that names it", e);
        }
        return CompiledTemplate.compile(file, text);
    }
}
