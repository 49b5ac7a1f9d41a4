package io.mycroft.stack;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * Model trainers as principals: trainer t writes its requests and models to its own topics ({@code hardset-requests.<t>},
 * {@code models.<t>}, see {@link Topics#trainerTwinSpec}), as {@code User:<t>} on a secure stack, allowed those topics
 * only ({@link StackAcls#trainerAcls}). The topic names the trainer; the Streams app copies only t's ids to the shared
 * topics. Mirrors {@link StackOwners}.
 */
public final class StackTrainers {
    /** Trainers' client configs (each with its password) and REST tokens, beside the stack's {@value StackSecurity#FILE_NAME}. */
    public static final String CREDENTIALS_DIR = "trainer-credentials";

    /**
     * What {@link #add} did.
     *
     * @param topics      the trainer's own topics, each with whether {@link #add} created it
     * @param credentials the trainer's client config file (bootstrap servers, SASL login), on a secure stack
     * @param acls        the trainer's ACLs, on a secure stack
     */
    public record Added(Map<String, Boolean> topics, Optional<Path> credentials, List<AclBinding> acls) {
    }

    private StackTrainers() {
    }

    /** Trainer {@code trainerId}'s client config file in the stack work directory {@code workDir}. */
    public static Path credentialsFile(Path workDir, String trainerId) {
        return workDir.resolve(CREDENTIALS_DIR).resolve(trainerId + ".properties");
    }

    /**
     * Adds trainer {@code trainerId}, idempotently: creates its own topics and, on a secure stack, its SCRAM-SHA-512
     * credentials (a generated password, kept if the trainer has a credentials file already) and its ACLs.
     */
    public static Added add(Path workDir, String trainerId) {
        String problem = Topics.trainerProblem(trainerId);
        if (problem == null && trainerId.startsWith(StackOwners.RESERVED_PREFIX)) {
            problem = "trainer id '" + trainerId + "' starts with '" + StackOwners.RESERVED_PREFIX
                    + "', which the platform's own principals use";
        }
        if (problem != null) {
            throw new StackException(problem);
        }
        StackProperties stack = StackProperties.load(workDir);
        try (Admin admin = Admin.create(new HashMap<>(stack.clientConfig(Principal.ADMIN)))) {
            Map<String, Boolean> topics = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (TopicSpec shared : Topics.TRAINER_TWINNED) {
                TopicSpec twin = Topics.trainerTwinSpec(shared, trainerId);
                topics.put(twin.name(""), StackTopics.ensureOne(admin, twin));
                names.add(twin.name(""));
            }
            if (stack.security().isEmpty()) {
                return new Added(topics, Optional.empty(), List.of());
            }
            Path credentials = credentialsFile(workDir, trainerId);
            String password = StackOwners.readPassword(credentials).orElseGet(() -> StackOwners.writeCredentials(credentials,
                    stack, trainerId, "# Trainer " + trainerId + "'s Kafka client config for the Mycroft local stack: secret,"
                            + " written once by ./mycroft trainers add\n# It may write " + String.join(" and ", names)
                            + " only (request and model ids " + trainerId + ".<name>).\n"));
            StackOwners.upsertScram(admin, trainerId, password);
            return new Added(topics, Optional.of(credentials), StackAcls.ensureTrainerAcls(admin, trainerId));
        }
    }
}
