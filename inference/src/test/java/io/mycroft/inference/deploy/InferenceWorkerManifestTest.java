package io.mycroft.inference.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mycroft.inference.InferenceWorkerMain;
import io.mycroft.inference.cli.WorkerCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/k8s/inference-worker.yaml parses into fabric8's model, asks for a GPU and runs a command line the worker accepts. */
class InferenceWorkerManifestTest {
    private static final Path MANIFEST = Path.of("..", "deploy", "k8s", "inference-worker.yaml");

    @Test
    void isAGpuDeploymentOfTheWorkerMain() throws Exception {
        Deployment deployment = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(MANIFEST), Deployment.class);

        assertThat(deployment.getKind()).isEqualTo("Deployment");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        Container worker = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(worker.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(worker.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(worker.getCommand()).last().isEqualTo(InferenceWorkerMain.class.getName());

        WorkerCommand command = new WorkerCommand();
        CommandLine.ParseResult parsed = new CommandLine(command).parseArgs(worker.getArgs().toArray(String[]::new));
        assertThat(parsed.unmatched()).isEmpty();
        assertThat(parsed.matchedOptionValue("--device", "cpu")).isEqualTo("gpu");
        assertThat(worker.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("PYTORCH_LIBRARY_PATH"));
    }
}
