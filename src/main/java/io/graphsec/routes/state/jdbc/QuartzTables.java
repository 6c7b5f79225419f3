package io.graphsec.routes.state.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.quartz.impl.jdbcjobstore.JobStoreSupport;

/**
 * The clustered Quartz job store's tables, from the PostgreSQL DDL Quartz ships in its own jar (so
 * they always match the Quartz on the classpath). The script starts by dropping the tables; as a
 * migration it runs once, on an empty schema, so those drops are left out.
 */
final class QuartzTables implements JavaMigration {

    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("2");
    }

    @Override
    public String getDescription() {
        return "quartz tables";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            for (String statement : script().split(";")) {
                String sql = statement.replaceAll("(?m)^\\s*--.*$", "").trim();
                if (!sql.isEmpty() && !sql.toUpperCase().startsWith("DROP ") && !sql.equalsIgnoreCase("COMMIT")) {
                    st.execute(sql);
                }
            }
        }
    }

    private static String script() throws IOException {
        try (InputStream in = JobStoreSupport.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the classpath: the Quartz jar is missing or changed");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
