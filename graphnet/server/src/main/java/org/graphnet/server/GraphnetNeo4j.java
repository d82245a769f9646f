package org.graphnet.server;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;

/**
 * Embedded Neo4j Community with Bolt on 127.0.0.1, run as its own process.
 *
 * <p>Usage: {@code java ... org.graphnet.server.GraphnetNeo4j HOME PORT [PAGECACHE_MIB]}.
 * When the environment variable {@code GRAPHNET_NEO4J_PASSWORD} is set, authentication is
 * enabled and user {@code neo4j} gets that password (it is read from the environment so it
 * never shows in the process list). Prints {@code GRAPHNET-NEO4J READY bolt://127.0.0.1:PORT VERSION} only after a
 * first query has succeeded; shuts the database down cleanly on SIGTERM.
 */
public final class GraphnetNeo4j {
    private GraphnetNeo4j() {}

    /** target/lib/gds-plugins beside target/classes, present only in a -Pgds build. */
    private static Path gdsPluginDir() {
        try {
            Path classes = Path.of(GraphnetNeo4j.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = classes.resolveSibling("lib").resolve("gds-plugins");
            return Files.isDirectory(dir) ? dir : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether user {@code neo4j} already logs in with {@code password}: a restart then skips the
     * ALTER USER, the first Cypher query of a cold server (2.8 s of a 7.2 s start, against 1.0 s for
     * the first query when it is skipped). Any doubt (a failed login, an error) answers no.
     */
    private static boolean passwordIs(DatabaseManagementService dbms, String password) {
        try {
            GraphDatabaseAPI system = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            AuthManager auth = system.getDependencyResolver().resolveDependency(AuthManager.class);
            return auth.login(AuthToken.newBasicAuthToken("neo4j", password), ClientConnectionInfo.EMBEDDED_CONNECTION)
                    .subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
        } catch (Exception e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: GraphnetNeo4j HOME PORT [PAGECACHE_MIB]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMib = args.length > 2 ? Long.parseLong(args[2]) : 64L;
        String password = System.getenv("GRAPHNET_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        Path gdsPlugins = gdsPluginDir();
        if (gdsPlugins != null) {
            // Built with -Pgds: register the Graph Data Science procedures.
            builder.setConfig(GraphDatabaseSettings.plugin_dir, gdsPlugins)
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"));
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMib))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Bolt waits 5 s for its connections and 5 s for its threads after the databases have
                // stopped: a stop took 10.4 s, 10 s of it idle (debug.log), with no connection left.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "graphnet-neo4j-shutdown"));

        try {
            if (auth && !passwordIs(dbms, password)) {
                try {
                    dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
                } catch (RuntimeException e) {
                    // A restart on an existing store: the password is already this one.
                    if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                        throw e;
                    }
                }
            }
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            db.executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            System.err.println("GRAPHNET-NEO4J FAILED " + e.getMessage());
            System.exit(1);  // the shutdown hook stops the database
        }
        System.out.println("GRAPHNET-NEO4J READY bolt://127.0.0.1:" + port + " " + Version.getNeo4jVersion());
        System.out.flush();
        stopped.await();
    }
}
