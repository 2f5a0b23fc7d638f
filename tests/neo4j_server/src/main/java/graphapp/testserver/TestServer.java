package graphapp.testserver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j Community with its Bolt connector on 127.0.0.1, for graphapp's tests.
 *
 * <p>Arguments: the data folder, the Bolt port and the password of the user {@code neo4j}. Prints
 * {@code READY bolt://127.0.0.1:PORT} when Bolt accepts connections, and shuts the database down when
 * its standard input closes (the test process ended) or on SIGTERM.
 */
public final class TestServer {
    private TestServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: TestServer DATA_FOLDER BOLT_PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", args[2]));
        } catch (RuntimeException e) {
            // Started again on the same data with the same password (a restart test): already set.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")
                    && !(e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains(
                            "Old password and new password cannot be the same"))) {
                throw e;
            }
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the test process to end (it holds the other end of standard input)
        }
        System.exit(0);
    }
}
