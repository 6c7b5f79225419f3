package io.graphsec.routes.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who replayed what: one INFO line to the logger {@code graph.replay.audit} and one JSON line
 * appended to {@code replay-audit.jsonl} under graph.state.dir, when a replay starts and when it ends
 * (or is refused). The live state files beside it are never opened.
 */
final class ReplayAudit {

    static final String FILE = "replay-audit.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger("graph.replay.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String osUser;

    ReplayAudit(Path stateDir, String osUser) {
        this.file = stateDir.resolve(FILE);
        this.osUser = osUser;
    }

    void record(String event, String replayId, ReplayRequest request, ObjectNode outcome) {
        ObjectNode line = JSON.createObjectNode()
                .put("time", Instant.now().toString())
                .put("event", event)
                .put("replayId", replayId)
                .put("operator", request.operator())
                .put("osUser", osUser)
                .put("collection", request.collection())
                .put("tenant", request.tenant())
                .put("from", request.from().toString())
                .put("to", request.to().toString())
                .put("destination", request.destination() == null ? "configured routing" : request.destination())
                .put("dryRun", request.dryRun());
        if (outcome != null) {
            line.setAll(outcome);
        }
        String text = line.toString();
        LOG.info(text);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the replay's audit record to " + file, e);
        }
    }

    static ObjectNode outcome() {
        return JSON.createObjectNode();
    }
}
