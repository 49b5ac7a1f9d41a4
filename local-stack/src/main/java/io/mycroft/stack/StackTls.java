package io.mycroft.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The TLS material of a stack started with {@code --secure --tls}, generated once with the JDK's {@code keytool} into
 * {@code <workdir>/tls/} (owner-only): a local CA, whose certificate ({@code ca.pem}) clients trust and whose private key
 * is deleted once it has signed the broker's certificate, and the brokers' key and certificate
 * ({@code broker.p12}, for {@code 127.0.0.1}: every node of the stack listens there). The brokers' client listener is
 * then SASL_SSL; the controller listener stays SASL_PLAINTEXT on the loopback.
 */
public final class StackTls {
    public static final String PROTOCOL = "SASL_SSL";
    static final String DIR = "tls";
    static final String CA_CERTIFICATE = "ca.pem";
    static final String BROKER_KEYSTORE = "broker.p12";
    static final String PASSWORD_FILE = "keystore.properties";
    private static final String CA_KEYSTORE = "ca.p12";
    private static final String BROKER_REQUEST = "broker.csr";
    private static final String BROKER_CERTIFICATE = "broker.pem";
    private static final String VALIDITY_DAYS = "825";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    /** keytool reads the password from here, not from its command line, which any local user can see. */
    private static final String PASSWORD_VARIABLE = "MYCROFT_KEYSTORE_PASSWORD";

    private final Path dir;
    private final String keystorePassword;

    private StackTls(Path dir, String keystorePassword) {
        this.dir = dir;
        this.keystorePassword = keystorePassword;
    }

    /** The TLS material of {@code workDir}, generated when there is none yet. */
    static StackTls createIfAbsent(Path workDir) {
        Path dir = workDir.resolve(DIR);
        if (Files.isRegularFile(dir.resolve(PASSWORD_FILE))) {
            return load(dir);
        }
        createOwnerOnlyDirectory(dir);
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // keytool wants the password of the CA's keystore too; the CA's key is deleted below, so it may be the same.
        List<String> store = List.of("-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE);
        List<String> key = List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS);
        keytool(dir, password, concat(List.of("-genkeypair", "-alias", "ca", "-dname", "CN=Mycroft local stack CA", "-ext", "bc:c",
                "-keystore", CA_KEYSTORE), store, key));
        keytool(dir, password, concat(List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", CA_KEYSTORE, "-file", CA_CERTIFICATE),
                store));
        keytool(dir, password, concat(List.of("-genkeypair", "-alias", "broker", "-dname", "CN=" + StackProperties.HOST,
                "-keystore", BROKER_KEYSTORE), store, key));
        keytool(dir, password, concat(List.of("-certreq", "-alias", "broker", "-keystore", BROKER_KEYSTORE, "-file", BROKER_REQUEST),
                store));
        keytool(dir, password, concat(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", CA_KEYSTORE, "-infile", BROKER_REQUEST,
                "-outfile", BROKER_CERTIFICATE, "-validity", VALIDITY_DAYS, "-ext", "san=ip:" + StackProperties.HOST + ",dns:localhost",
                "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth,clientAuth"), store));
        // The CA first, so the broker's reply (its signed certificate) chains up to it.
        keytool(dir, password, concat(List.of("-importcert", "-noprompt", "-alias", "ca", "-keystore", BROKER_KEYSTORE,
                "-file", CA_CERTIFICATE), store));
        keytool(dir, password, concat(List.of("-importcert", "-alias", "broker", "-keystore", BROKER_KEYSTORE,
                "-file", BROKER_CERTIFICATE), store));
        try {
            for (String done : List.of(CA_KEYSTORE, BROKER_REQUEST, BROKER_CERTIFICATE)) {
                Files.delete(dir.resolve(done));
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + dir, e);
        }
        StackSecurity.writeOwnerOnly(dir.resolve(PASSWORD_FILE),
                "# Mycroft local stack: password of " + BROKER_KEYSTORE + ", written once by ./mycroft stack up --tls\n"
                        + "keystore.password=" + password + "\n");
        return new StackTls(dir, password);
    }

    /** Reads the material written by {@link #createIfAbsent} from {@code dir}. */
    static StackTls load(Path dir) {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(PASSWORD_FILE))) {
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(PASSWORD_FILE), e);
        }
        return new StackTls(dir, values.getProperty("keystore.password"));
    }

    public Path caCertificate() {
        return dir.resolve(CA_CERTIFICATE);
    }

    /** What a broker's SSL listener (and its own clients, between brokers) needs: its key and the CA. */
    Map<String, String> brokerConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("ssl.keystore.type", "PKCS12");
        c.put("ssl.keystore.location", dir.resolve(BROKER_KEYSTORE).toAbsolutePath().toString());
        c.put("ssl.keystore.password", keystorePassword);
        c.putAll(clientConfig(caCertificate()));
        c.remove("security.protocol");
        return c;
    }

    /** The settings a client adds to its SASL login to connect over TLS, trusting the CA in {@code caCertificate}. */
    public static Map<String, String> clientConfig(Path caCertificate) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("security.protocol", PROTOCOL);
        c.put("ssl.truststore.type", "PEM");
        c.put("ssl.truststore.location", caCertificate.toAbsolutePath().toString());
        return c;
    }

    private static void keytool(Path dir, String password, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put(PASSWORD_VARIABLE, password);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new StackException("keytool " + args.get(0) + " failed in " + dir + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while generating the stack's certificates", e);
        }
    }

    private static void createOwnerOnlyDirectory(Path dir) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
