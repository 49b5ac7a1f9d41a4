package io.mycroft.cli.owners;

import io.mycroft.cli.UserError;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import mycroft.schemas.OwnerPolicy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code mycroft owners cap OWNER N|none}: the most samples of an owner one request may be shown (owner-policies). */
@Command(name = "cap", mixinStandardHelpOptions = true,
        description = "Set the most samples of an owner any one request's useful subset may hold (selection runs with "
                + "budget min(B, cap); 0 reveals nothing), or 'none'. Applies to requests that have not yet selected from the owner.")
final class OwnerCapCommand implements Callable<Integer> {
    private static final long SEND_TIMEOUT_SECONDS = 15;

    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "OWNER_ID", description = "The owner.")
    String ownerId;
    @Parameters(index = "1", paramLabel = "N|none", description = "The cap, an integer ≥ 0, or none.")
    String cap;
    @Mixin
    OwnersCommand.WorkDir workDir = new OwnersCommand.WorkDir();

    @Override
    public Integer call() {
        String idProblem = Keys.idProblem(ownerId, "OWNER_ID");
        if (idProblem != null) {
            throw new UserError(idProblem);
        }
        Integer max = parse(cap);
        StackProperties stack = workDir.stack();
        Topic<String, OwnerPolicy> policies = Topics.from(stack.registryConfig(StackSecurity.Principal.ADMIN)).ownerPolicies();
        OwnerPolicy policy = new OwnerPolicy(ownerId, max, Instant.now());
        try (KafkaProducer<String, OwnerPolicy> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(SEND_TIMEOUT_SECONDS)),
                new StringSerializer(), policies.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(policies.name(), ownerId, policy)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new UserError("could not write the cap to " + policies.name() + " at " + stack.bootstrapServers() + " ("
                    + (e.getCause() == null ? e : e.getCause()).getMessage() + "): is the stack up (./mycroft stack up)?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while writing the cap");
        }
        spec.commandLine().getOut().println(max == null ? "owner " + ownerId + " has no cap"
                : "owner " + ownerId + ": at most " + max + " samples per request");
        return 0;
    }

    /** The cap, or null for {@code none}. */
    static Integer parse(String cap) {
        if (cap.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            int n = Integer.parseInt(cap);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new UserError("cap must be an integer ≥ 0 or 'none', was '" + cap + "'");
    }
}
