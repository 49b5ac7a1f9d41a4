package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.stack.StackSecurity.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSecurityTest {
    @TempDir
    Path workDir;

    @Test
    void credentialsAreGeneratedOnceOwnerOnlyAndDistinctPerPrincipal() throws Exception {
        StackSecurity first = StackSecurity.createIfAbsent(workDir);
        StackSecurity again = StackSecurity.createIfAbsent(workDir);
        Path file = workDir.resolve(StackSecurity.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(List.of(Principal.values()).stream().map(first::password).distinct()).hasSize(Principal.values().length);
        for (Principal principal : Principal.values()) {
            assertThat(again.password(principal)).isEqualTo(first.password(principal)).hasSizeGreaterThanOrEqualTo(32);
        }
    }

    @Test
    void aSecureStackHandsEachPrincipalItsOwnScramLogin() {
        StackProperties stack = StackProperties.of("c", 9001, 9002, 9003, 9004);
        StackSecurity.createIfAbsent(workDir);
        stack.setCredentialsFile(workDir.resolve(StackSecurity.FILE_NAME));
        Map<String, String> worker = stack.clientConfig(Principal.WORKER);
        assertThat(worker).containsEntry("bootstrap.servers", "127.0.0.1:9001")
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(worker.get("sasl.jaas.config")).contains("username=\"mycroft-worker\"")
                .contains(stack.security().orElseThrow().password(Principal.WORKER));
        Map<String, String> connect = StackConfigs.connect(stack, Path.of("/plugins"));
        assertThat(connect.get("producer.sasl.jaas.config")).contains("username=\"mycroft-connect\"");
        assertThat(connect).containsEntry("rest.extension.classes",
                "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension");
        assertThat(StackConfigs.registryArgs(stack)).contains("--credentials");
        assertThat(stack.registryConfig(Principal.WORKER)).containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "mycroft-worker:" + stack.security().orElseThrow().password(Principal.WORKER));
    }

    @Test
    void connectRestLogsInOnlyTheAdminFromOwnerOnlyFiles() throws Exception {
        StackSecurity security = StackSecurity.createIfAbsent(workDir);
        Path jaas = security.writeConnectRestLogin(workDir);
        Path users = workDir.resolve("connect-rest-users.properties");
        for (Path file : List.of(jaas, users)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(jaas)).startsWith("KafkaConnect {").contains("file=\"" + users.toAbsolutePath() + "\"");
        assertThat(Files.readAllLines(users)).containsExactly("mycroft-admin=" + security.password(Principal.ADMIN));
    }

    @Test
    void aTlsStacksClientsTrustItsCaOverSaslSsl() {
        StackProperties stack = StackProperties.of("c", 9001, 9002, 9003, 9004);
        StackSecurity.createIfAbsent(workDir);
        stack.setCredentialsFile(workDir.resolve(StackSecurity.FILE_NAME));
        stack.setCaCertificate(workDir.resolve("tls/ca.pem"));
        for (Map<String, String> client : List.of(stack.clientConfig(Principal.STREAMS), stack.clientConfig("owner-a", "pw"),
                StackConfigs.connect(stack, Path.of("/plugins")))) {
            assertThat(client).containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry("ssl.truststore.location", workDir.resolve("tls/ca.pem").toString());
        }
        assertThat(StackConfigs.connect(stack, Path.of("/plugins"))).containsEntry("producer.security.protocol", "SASL_SSL")
                .doesNotContainKey("producer.bootstrap.servers");
        assertThat(StackConfigs.registryArgs(stack)).containsSequence("--ca-certificate", workDir.resolve("tls/ca.pem").toString());
    }

    @Test
    void tlsNeedsASecureStack() {
        assertThatThrownBy(() -> new LocalStack(workDir, line -> { }, 1, false, true))
                .isInstanceOf(StackException.class).hasMessageContaining("--tls needs a secure stack");
    }

    @Test
    void aPlainStackHasNoSasl() {
        StackProperties stack = StackProperties.of("c", 9001, 9002, 9003, 9004);
        assertThat(stack.clientConfig(Principal.ADMIN)).containsOnlyKeys("bootstrap.servers");
        assertThat(stack.registryConfig(Principal.ADMIN)).containsOnlyKeys("schema.registry.url");
        assertThat(StackConfigs.connect(stack, Path.of("/plugins"))).doesNotContainKey("rest.extension.classes");
        assertThat(StackConfigs.broker(stack, 1, Path.of("/data"))).doesNotContainKey("authorizer.class.name");
    }

    @Test
    void theSecureBrokerDeniesWhatNoAclAllowsAndOnlyTheAdminIsSuper() {
        StackProperties stack = StackProperties.of("c", 9001, 9002, 9003, 9004);
        Map<String, String> c = StackConfigs.broker(stack, 1, Path.of("/data"),
                Optional.of(StackSecurity.createIfAbsent(workDir)));
        assertThat(c).containsEntry("allow.everyone.if.no.acl.found", "false")
                .containsEntry("super.users", "User:mycroft-admin")
                .containsEntry("listeners", "SASL_PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9002")
                .containsEntry("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512");
    }

    @Test
    void onlyServicePrincipalsMayReadOwnerSamples() {
        List<String> readers = StackAcls.serviceAcls().stream()
                .filter(a -> a.pattern().resourceType() == ResourceType.TOPIC && a.pattern().name().equals("owner-samples"))
                .filter(a -> a.entry().operation() == AclOperation.READ)
                .map(a -> a.entry().principal()).toList();
        assertThat(readers).containsExactlyInAnyOrder("User:mycroft-streams", "User:mycroft-worker");
        assertThat(StackAcls.serviceAcls()).filteredOn(a -> a.entry().principal().equals("User:mycroft-registry"))
                .extracting(a -> a.pattern().name()).containsOnly("_schemas", "kafka-cluster");
    }

    @Test
    void onlyConnectWritesOwnerSamplesAndOnlyWorkersAndStreamsReadTheOwnersOwnTopics() {
        assertThat(StackAcls.serviceAcls()).filteredOn(a -> a.pattern().resourceType() == ResourceType.TOPIC
                        && a.pattern().name().equals("owner-samples") && a.entry().operation() == AclOperation.WRITE)
                .extracting(a -> a.entry().principal()).containsExactly("User:mycroft-connect");
        assertThat(StackAcls.serviceAcls()).filteredOn(a -> a.pattern().patternType() == PatternType.PREFIXED
                        && a.pattern().name().equals("owner-samples."))
                .extracting(a -> a.entry().principal() + " " + a.entry().operation())
                .containsExactlyInAnyOrder("User:mycroft-worker READ", "User:mycroft-worker DESCRIBE",
                        "User:mycroft-streams READ", "User:mycroft-streams DESCRIBE");
    }

    @Test
    void anOwnerMayWriteItsOwnTopicAndNothingElse() {
        assertThat(StackAcls.ownerAcls("owner-a")).extracting(a -> a.entry().principal() + " " + a.entry().permissionType()
                        + " " + a.entry().operation() + " " + a.pattern())
                .containsExactlyInAnyOrder(
                        "User:owner-a ALLOW WRITE ResourcePattern(resourceType=TOPIC, name=owner-samples.owner-a, patternType=LITERAL)",
                        "User:owner-a ALLOW DESCRIBE ResourcePattern(resourceType=TOPIC, name=owner-samples.owner-a, patternType=LITERAL)");
        assertThatThrownBy(() -> StackAcls.ownerAcls("owner.a")).hasMessageContaining("must match");
    }

    @Test
    void aTrainerMayWriteItsOwnRequestAndModelTopicsAndNothingElseWhichOnlyStreamsReads() {
        assertThat(StackAcls.trainerAcls("trainer-a")).extracting(a -> a.entry().principal() + " " + a.entry().permissionType()
                        + " " + a.entry().operation() + " " + a.pattern().name() + " " + a.pattern().patternType())
                .containsExactlyInAnyOrder(
                        "User:trainer-a ALLOW WRITE hardset-requests.trainer-a LITERAL",
                        "User:trainer-a ALLOW DESCRIBE hardset-requests.trainer-a LITERAL",
                        "User:trainer-a ALLOW WRITE models.trainer-a LITERAL",
                        "User:trainer-a ALLOW DESCRIBE models.trainer-a LITERAL");
        assertThatThrownBy(() -> StackAcls.trainerAcls("trainer.a")).hasMessageContaining("must match");
        assertThat(StackAcls.serviceAcls()).filteredOn(a -> a.pattern().patternType() == PatternType.PREFIXED
                        && List.of("hardset-requests.", "models.").contains(a.pattern().name()))
                .extracting(a -> a.entry().principal() + " " + a.entry().operation() + " " + a.pattern().name())
                .containsExactlyInAnyOrder("User:mycroft-streams READ hardset-requests.", "User:mycroft-streams DESCRIBE hardset-requests.",
                        "User:mycroft-streams READ models.", "User:mycroft-streams DESCRIBE models.");
    }
}
