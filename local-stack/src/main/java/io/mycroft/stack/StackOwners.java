package io.mycroft.stack;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * Data owners who run their own producer: each writes to its own ingestion topic {@code owner-samples.<owner>} (see
 * {@link Topics#ownerIngestionSpec}), as its own principal {@code User:<owner>} on a secure stack, allowed that topic
 * only ({@link StackAcls#ownerAcls}). The topic names the owner; the inference worker takes the owner from it.
 */
public final class StackOwners {
    /** Owners' client configs (each with its password), beside the stack's {@value StackSecurity#FILE_NAME}. */
    public static final String CREDENTIALS_DIR = "owner-credentials";
    /** The service principals' user names start with it; no owner may take one. */
    static final String RESERVED_PREFIX = "mycroft-";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final int PASSWORD_BYTES = 24;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    /**
     * What {@link #add} did.
     *
     * @param topic       the owner's own ingestion topic
     * @param topicCreated false if it was there already
     * @param credentials the owner's client config file (bootstrap servers, SASL login), on a secure stack
     * @param acls        the owner's ACLs, on a secure stack
     */
    public record Added(String topic, boolean topicCreated, Optional<Path> credentials, List<AclBinding> acls) {
    }

    private StackOwners() {
    }

    /**
     * Adds owner {@code ownerId}, idempotently: creates its ingestion topic and, on a secure stack, its SCRAM-SHA-512
     * credentials (a generated password, kept if the owner has a credentials file already) and its ACLs.
     */
    public static Added add(Path workDir, String ownerId) {
        String problem = Topics.ingestionOwnerProblem(ownerId);
        if (problem == null && ownerId.startsWith(RESERVED_PREFIX)) {
            problem = "owner id '" + ownerId + "' starts with '" + RESERVED_PREFIX + "', which the platform's own principals use";
        }
        if (problem != null) {
            throw new StackException(problem);
        }
        StackProperties stack = StackProperties.load(workDir);
        TopicSpec spec = Topics.ownerIngestionSpec(ownerId);
        try (Admin admin = Admin.create(new HashMap<>(stack.clientConfig(Principal.ADMIN)))) {
            boolean created = StackTopics.ensureOne(admin, spec);
            if (stack.security().isEmpty()) {
                return new Added(spec.name(""), created, Optional.empty(), List.of());
            }
            Path credentials = workDir.resolve(CREDENTIALS_DIR).resolve(ownerId + ".properties");
            String password = readPassword(credentials).orElseGet(() -> writeCredentials(credentials, stack, ownerId,
                    "# Owner " + ownerId + "'s Kafka client config for the Mycroft local stack: secret, written once by"
                            + " ./mycroft owners add\n# It may write " + spec.name("") + " only.\n"));
            upsertScram(admin, ownerId, password);
            List<AclBinding> acls = StackAcls.ensureOwnerAcls(admin, ownerId);
            return new Added(spec.name(""), created, Optional.of(credentials), acls);
        }
    }

    /** The password in an owner's credentials file, if it has one. */
    static Optional<String> readPassword(Path credentials) {
        return StackProperties.loadProperties(credentials).map(values -> {
            Matcher m = JAAS_PASSWORD.matcher(values.getProperty("sasl.jaas.config", ""));
            if (!m.find()) {
                throw new StackException(credentials + " has no password: delete it and run ./mycroft owners add again");
            }
            return m.group(1);
        });
    }

    /**
     * Writes a Kafka client config for principal {@code user} (an owner, a trainer) under {@code header}, readable by the
     * stack's user only; returns its new password.
     */
    static String writeCredentials(Path file, StackProperties stack, String user, String header) {
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String lines = header + stack.clientConfig(user, password).entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue() + "\n").reduce("", String::concat);
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectory(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return password;
    }

    /** Sets {@code ownerId}'s (an owner's, a trainer's) SCRAM credentials and waits until the broker knows them, so it can log in at once. */
    static void upsertScram(Admin admin, String ownerId, String password) {
        try {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(ownerId,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)))
                    .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!admin.describeUserScramCredentials().users().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(ownerId)) {
                if (System.nanoTime() > deadline) {
                    throw new StackException("the broker did not show " + ownerId + "'s credentials within " + TIMEOUT);
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("cannot set " + ownerId + "'s credentials: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while setting " + ownerId + "'s credentials", e);
        }
    }
}
