package io.graphsec.routes.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Which ticket each Graph incident (or lone alert) has: files by default ({@link TicketCorrelationStore}), or PostgreSQL. */
public interface TicketCorrelations {

    Optional<ObjectNode> get(String unit);

    void put(String unit, ObjectNode record);
}
