package io.graphsec.routes.templates;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * mustache.java with the escaping of the template's kind instead of HTML, and one file per template:
 * partials and parent templates ({@code {{> x}}}, {@code {{< x}}}) would read further files by a
 * name the factory resolves, so they are refused. In a JSON template, an unescaped value
 * ({@code {{{x}}}} or {@code {{& x}}}) could end the string it stands in and write fields of its own;
 * only {@code alertJson}, the body as Jackson wrote it, may stand unescaped.
 */
final class EscapingMustacheFactory extends DefaultMustacheFactory {

    static final String RAW_JSON = AlertScope.ALERT_JSON;

    private final TemplateKind kind;

    EscapingMustacheFactory(TemplateKind kind) {
        this.kind = kind;
    }

    @Override
    public void encode(String value, Writer writer) {
        try {
            writer.write(kind.escape(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public MustacheVisitor createMustacheVisitor() {
        return new DefaultMustacheVisitor(this) {
            @Override
            public void value(TemplateContext tc, String variable, boolean encoded) {
                if (!encoded && kind == TemplateKind.JSON && !RAW_JSON.equals(variable.trim())) {
                    throw new MustacheException("line " + tc.line() + ": {{{" + variable.trim()
                            + "}}} is unescaped; in a JSON template write \"{{" + variable.trim()
                            + "}}\" (only {{{" + RAW_JSON + "}}} may stand unescaped)");
                }
                super.value(tc, variable, encoded);
            }

            @Override
            public void partial(TemplateContext tc, String variable, String indent) {
                throw notOneFile(tc, "{{>" + variable + "}}");
            }

            @Override
            public void dynamicPartial(TemplateContext tc, String variable, String indent) {
                throw notOneFile(tc, "{{>*" + variable + "}}");
            }

            @Override
            public void extend(TemplateContext tc, String variable, Mustache mustache) {
                throw notOneFile(tc, "{{<" + variable + "}}");
            }
        };
    }

    private static MustacheException notOneFile(TemplateContext tc, String tag) {
        return new MustacheException("line " + tc.line() + ": " + tag + " would read another file; a template is one file");
    }
}
