import java.nio.file.Path;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;

/**
 * Validates a neo4j.conf the way a Neo4j 5.26 server does at start-up: strict validation,
 * so an unknown setting or a bad value is refused with Neo4j's own message.
 *
 * <pre>
 *   java -cp '&lt;cache&gt;/lib/*' ConfigCheck.java &lt;neo4j.conf&gt;
 * </pre>
 *
 * Prints "OK" and exits 0 when the server would accept the file; otherwise prints the
 * reason on stderr and exits 1.
 */
public class ConfigCheck {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ConfigCheck <neo4j.conf>");
            System.exit(2);
        }
        try {
            Config.newBuilder()
                    .set(GraphDatabaseSettings.strict_config_validation, true)
                    .fromFile(Path.of(args[0]))
                    .build();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.out.println("OK");
    }
}
