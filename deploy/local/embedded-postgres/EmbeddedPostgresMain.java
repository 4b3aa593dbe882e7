import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Runs a real PostgreSQL until killed. Usage: EmbeddedPostgresMain.java PORT DATA_DIR DATABASE */
public class EmbeddedPostgresMain {
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(Integer.parseInt(args[0]))
                .setDataDirectory(Path.of(args[1])).setCleanDataDirectory(false).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + args[2] + "'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + args[2]);
            }
        }
        System.out.println("embedded PostgreSQL ready on 127.0.0.1:" + args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }));
        Thread.currentThread().join();
    }
}
