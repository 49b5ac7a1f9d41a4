package io.mycroft.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.cli.WorkerCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --device: gpu never falls back to the CPU silently; auto prefers a GPU; the worker command reports it as a user error. */
class DjlRuntimeTest {
    @Test
    void gpuFailsClearlyWithoutOneAndAutoTakesWhatThereIs() {
        boolean hasGpu = DjlRuntime.start().getGpuCount() > 0;
        assertThat(DjlRuntime.device("cpu")).isEqualTo(Device.cpu());
        assertThat(DjlRuntime.device("auto")).isEqualTo(hasGpu ? Device.gpu() : Device.cpu());
        if (hasGpu) {
            assertThat(DjlRuntime.device("gpu").isGpu()).isTrue();
        } else {
            assertThatThrownBy(() -> DjlRuntime.device("gpu")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sees no GPU").hasMessageContaining("--device cpu|auto");
        }
        assertThatThrownBy(() -> DjlRuntime.device("tpu")).hasMessageContaining("--device must be cpu, gpu or auto");
        assertThat(DjlRuntime.defaultBatchSize(Device.cpu())).isEqualTo(256);
        assertThat(DjlRuntime.defaultBatchSize(Device.gpu())).isEqualTo(2048);
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(Engine.getEngine("PyTorch").getVersion()).startsWith("2.7.1");
    }

    @Test
    void workerCommandExitsWithAUserErrorWhenTheDeviceIsMissing() {
        assumeTrue(DjlRuntime.start().getGpuCount() == 0, "nothing to refuse on a GPU machine");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new WorkerCommand()).setErr(new PrintWriter(err))
                .execute("--device", "gpu", "--bootstrap-servers", "127.0.0.1:1", "--worker-id", "w");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("worker: --device gpu: the PyTorch engine");
    }
}
