package io.graphsec.routes.state;

import java.time.Instant;
import java.util.Optional;

/** One watermark per polled resource: files by default ({@link WatermarkStore}), or PostgreSQL. */
public interface Watermarks {

    Optional<Instant> read(String resource);

    void write(String resource, Instant watermark);
}
