package io.graphsec.routes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Message;

/**
 * Microsoft's own triage signals on an alert or incident, read as data for message headers: the
 * incident's {@code priorityScore} (0-100; null while Graph computes it or where the tenant has it
 * off), its {@code summary}, {@code systemTags} (e.g. Defender Experts) and the alert's
 * {@code categories}. Every value is made one short line without control characters: it is shown
 * in tickets and mails, and a header must not carry a line break downstream.
 */
public final class TriageSignals {

    public static final String PRIORITY_SCORE = "graphIncidentPriorityScore";
    public static final String SUMMARY = "graphIncidentSummary";
    public static final String SYSTEM_TAGS = "graphSystemTags";
    public static final String CATEGORIES = "graphCategories";
    /** A summary longer than this is cut (with an ellipsis): the whole text stays in the incident's body. */
    static final int MAX_SUMMARY = 1000;
    private static final int MAX_VALUES = 20;
    private static final int MAX_VALUE = 100;
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TriageSignals() {
    }

    /** Graph's priorityScore when it is a whole number 0..100; null for null, absent or anything else. */
    public static Integer priorityScore(JsonNode entity) {
        JsonNode v = entity == null ? null : entity.get("priorityScore");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            return null;
        }
        int score = v.intValue();
        return score >= 0 && score <= 100 ? score : null;
    }

    /** The summary made one line: trimmed, control and direction characters removed, capped; null if empty. */
    public static String summary(JsonNode entity) {
        JsonNode v = entity == null ? null : entity.get("summary");
        return v != null && v.isTextual() ? oneLine(v.asText(), MAX_SUMMARY) : null;
    }

    /** The strings of an array field, each one line without commas, de-duplicated, at most 20. */
    public static List<String> values(JsonNode entity, String field) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode array = entity == null ? null : entity.get(field);
        if (array != null && array.isArray()) {
            for (JsonNode v : array) {
                // A comma inside a value would split it in the comma list of the header.
                String s = v.isTextual() ? oneLine(v.asText().replace(',', ' '), MAX_VALUE) : null;
                if (s != null && out.size() < MAX_VALUES) {
                    out.add(s);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** An alert's categories, or the deprecated single category when Graph sends only that. */
    public static List<String> categories(JsonNode alert) {
        List<String> categories = values(alert, "categories");
        JsonNode single = alert.get("category");
        if (categories.isEmpty() && single != null && single.isTextual()) {
            String s = oneLine(single.asText().replace(',', ' '), MAX_VALUE);
            if (s != null) {
                categories.add(s);
            }
        }
        return categories;
    }

    /**
     * What Microsoft asks of the customer when an incident is (newly) {@code awaitingAction}: only
     * Defender Experts set that status, and their request is the incident's latest comment. Null
     * when the incident is not awaiting action, or was already when last delivered.
     */
    static String awaitingAction(JsonNode incident, String status, String event) {
        if (!"awaitingAction".equals(status)
                || !(ChangeEvent.CREATED.equals(event) || ChangeEvent.STATUS_CHANGED.equals(event)
                || ChangeEvent.REOPENED.equals(event))) {
            return null;
        }
        String request = null;
        for (JsonNode c : incident.path("comments")) {
            String text = c.path("comment").isTextual() ? oneLine(c.path("comment").asText(), MAX_SUMMARY) : null;
            if (text != null) {
                String by = c.path("createdByDisplayName").isTextual()
                        ? oneLine(c.path("createdByDisplayName").asText(), MAX_VALUE) : null;
                request = by == null ? text : by + ": " + text;
            }
        }
        return "Microsoft Defender Experts ask you to act on this incident" + (request == null ? "" : " (" + request + ")");
    }

    /** Sets the header to the comma list of the values, or leaves it unset when there are none. */
    static void putList(Message in, String header, Collection<String> values) {
        if (!values.isEmpty()) {
            in.setHeader(header, String.join(",", values));
        }
    }

    /** The values of a comma-list header (as {@link #putList} wrote it). */
    static List<String> listOf(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            for (String v : header.split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    /** One line: control, line-separator and text-direction characters become a space, runs of space one. */
    static String oneLine(String s, int max) {
        String line = SPACES.matcher(UNSAFE.matcher(s).replaceAll(" ")).replaceAll(" ").trim();
        if (line.isEmpty()) {
            return null;
        }
        return line.length() <= max ? line : line.substring(0, max - 1).trim() + "…";
    }
}
