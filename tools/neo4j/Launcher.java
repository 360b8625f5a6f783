import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Runs a throw-away Neo4j server in this JVM for tests, Bolt only.
 *
 * <pre>
 *   java -Xmx1g -cp '&lt;cache&gt;/lib/*' Launcher.java &lt;workdir&gt; &lt;port&gt; [--detach]
 * </pre>
 *
 * The work directory is wiped before start (it must be empty, missing, or one
 * this launcher created earlier). Once Bolt listens, a line
 * {@code READY bolt://127.0.0.1:<port>} is printed on stdout. The server then
 * runs until stdin is closed (not with --detach) or the JVM gets SIGTERM/SIGINT;
 * either way the database is closed cleanly by a shutdown hook.
 */
public class Launcher {
    private static final String MARKER = ".credgraph-neo4j-workdir";

    /**
     * The page cache in MiB: {@code NEO4J_PAGECACHE_MB}, else 256 (enough for the test
     * graphs; a benchmark of a million credentials wants the whole store in it).
     */
    private static long pageCacheMb() {
        String value = System.getenv("NEO4J_PAGECACHE_MB");
        if (value == null || value.isBlank()) {
            return 256;
        }
        try {
            long mb = Long.parseLong(value.trim());
            if (mb >= 8) {
                return mb;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("NEO4J_PAGECACHE_MB must be a whole number of MiB, at least 8; got '" + value + "'");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--detach"))) {
            System.err.println("usage: Launcher <workdir> <port> [--detach]");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]).toAbsolutePath().normalize();
        int port = Integer.parseInt(args[1]);
        boolean detach = args.length == 3;

        prepareWorkDir(workDir);

        long t0 = System.nanoTime();
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer() // no HTTP/HTTPS, Bolt only
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb()))
                .withConfig(GraphDatabaseSettings.udc_enabled, false) // dbms.usage_report.enabled
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.preallocate_store_files, false)
                .withConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // db.transaction.timeout is left at its default (0 = no timeout).
                // Don't wait the default 10 s on close for transactions a test left open:
                .withConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2));
        // server.bolt.connection_keep_alive_for_requests: ALL (Neo4j's default) also sends
        // clients the connection.recv_timeout_seconds hint, which makes the Python driver time
        // every socket read; STREAMING keeps the keep-alives while results stream, without it.
        String keepAlive = System.getenv("NEO4J_BOLT_KEEP_ALIVE");
        if (keepAlive != null && !keepAlive.isBlank()) {
            try {
                builder.withConfig(BoltConnector.connection_keep_alive_type,
                        BoltConnector.KeepAliveRequestType.valueOf(keepAlive.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                System.err.println("NEO4J_BOLT_KEEP_ALIVE must be ALL, STREAMING or OFF, got '" + keepAlive + "'");
                System.exit(2);
            }
        }
        // Bolt's Netty event loops otherwise linger a 5 s quiet period each on close,
        // which made every stop take ~10 s. Internal settings: applied only if present.
        withInternal(builder, "netty_server_shutdown_quiet_period", 0);
        withInternal(builder, "netty_server_shutdown_timeout", Duration.ofSeconds(5));
        Neo4j neo4j = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
            } catch (Throwable t) {
                System.err.println("error while stopping neo4j: " + t);
            } finally {
                System.out.println("STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.err.println("neo4j started in " + ms + " ms, bolt at " + neo4j.boltURI());
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();

        if (detach) {
            stopped.await(); // until a signal runs the shutdown hook
        } else {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            while (in.read(buf) >= 0) {
                // discard; we only care about EOF
            }
            System.exit(0); // runs the shutdown hook
        }
    }

    @SuppressWarnings("unchecked")
    private static void withInternal(Neo4jBuilder builder, String field, Object value) {
        try {
            Class<?> c = Class.forName("org.neo4j.configuration.GraphDatabaseInternalSettings");
            builder.withConfig((Setting<Object>) c.getField(field).get(null), value);
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.err.println("note: internal setting " + field + " not available, skipped");
        }
    }

    /** Deletes the work directory's contents, refusing any non-empty directory it did not create. */
    private static void prepareWorkDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                System.err.println("refusing to wipe " + dir + ": not empty and not created by this launcher");
                System.exit(2);
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (!d.equals(dir)) {
                        Files.delete(d);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else if (Files.exists(dir)) {
            System.err.println("work dir " + dir + " exists and is not a directory");
            System.exit(2);
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARKER));
    }
}
