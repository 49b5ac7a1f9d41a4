package io.mycroft.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The DJL settings of every process of this module, in one place (DESIGN §6). Applied before the engine starts; a value
 * already given with {@code -D} wins.
 */
public final class DjlRuntime {
    private DjlRuntime() {
    }

    /** Sets the defaults and starts the PyTorch engine. */
    public static Engine start() {
        // Never download: the native library comes from the pytorch-native-cpu jar on the class path.
        setDefault("ai.djl.offline", "true");
        // On 2 shared cores one intra-op thread and no inter-op pool gave steady batch times; defaults were erratic.
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        // The TorchScript graph optimizer re-profiles the first batches of every new shape: slow and jittery here.
        setDefault("ai.djl.pytorch.graph_optimizer", "false");
        return Engine.getEngine("PyTorch");
    }

    /**
     * The device for {@code --device}: {@code cpu}, {@code gpu} (fails when the engine has none, never falls back to
     * the CPU silently) or {@code auto} (the first GPU if there is one).
     */
    public static Device device(String choice) {
        Engine engine = start();
        return switch (choice) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("--device gpu: the PyTorch engine (" + engine.getVersion()
                            + ") sees no GPU. Run on a GPU node with a CUDA PyTorch native on the class path"
                            + " (see deploy/k8s/inference-worker.yaml), or use --device cpu|auto");
                }
                yield Device.gpu();
            }
            case "auto" -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("--device must be cpu, gpu or auto, was '" + choice + "'");
        };
    }

    /** A batch size that keeps the device busy: GPUs want far bigger batches than a CPU core. */
    public static int defaultBatchSize(Device device) {
        return device.isGpu() ? 2048 : 256;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
