package io.mycroft.connectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class: Debian's {@code postgresql} package (installed with apt-get when missing
 * and the tests run as root), a fresh cluster by {@code initdb} in a temporary directory, {@code pg_ctl} on a free
 * loopback port, trust authentication for user {@value #USER}. Stopped and deleted by {@link #close()}.
 */
final class ThrowAwayPostgres implements AutoCloseable {
    static final String USER = "mycroft";
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final int port;

    private ThrowAwayPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static ThrowAwayPostgres start() throws IOException, InterruptedException {
        Optional<Path> bin = binaries();
        if (bin.isEmpty() && ROOT) {
            run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"));
            bin = binaries();
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed: apt-get install postgresql");
        Path dir = Files.createTempDirectory("mycroft-postgres-");
        if (ROOT) {
            run(List.of("chown", "postgres:postgres", dir.toString())); // initdb refuses to run as root
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ThrowAwayPostgres postgres = new ThrowAwayPostgres(bin.get(), dir, port);
        postgres.asOwner("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync");
        postgres.asOwner("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start");
        return postgres;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    Connection connect() throws SQLException {
        return new org.postgresql.Driver().connect(url(), new Properties());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        asOwner("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The newest Debian PostgreSQL's bin directory. */
    private static Optional<Path> binaries() throws IOException {
        if (!Files.isDirectory(DEBIAN_BINARIES)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        }
    }

    private void asOwner(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ROOT ? List.of("runuser", "-u", "postgres", "--") : List.of());
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed:\n" + output));
        }
    }
}
