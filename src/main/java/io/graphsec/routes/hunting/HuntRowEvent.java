package io.graphsec.routes.hunting;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row a hunt returned, as the alert-like event it becomes: {@code id} is
 * {@code hunt-<slug>-<first 16 hex of the row's SHA-256>}, {@code time} the row's Timestamp or
 * else the run's slot, so the same row of the same window is the same event.
 */
public record HuntRowEvent(HuntRun run, JsonNode row, String id, String time) {
}
