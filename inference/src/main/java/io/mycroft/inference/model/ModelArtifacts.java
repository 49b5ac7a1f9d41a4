package io.mycroft.inference.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtModel;
import io.mycroft.inference.DjlRuntime;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.ModelFormat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns models into {@link ModelArtifact}s and back. DJL format: the parameters as written by
 * {@code Block.saveParameters} plus the {@link Architecture} (MLP or small CNN) as JSON; TorchScript: the scripted
 * module's file, which must return (logits, penultimate features). Loading verifies the sha256 first and refuses, with a
 * {@link ModelRejectedException} that says why, anything that does not verify, load or fit its declared shape.
 */
public final class ModelArtifacts {
    /** Larger models travel by URI (the topic's records stay under the broker's message limit). */
    public static final int MAX_INLINE_BYTES = 8 * 1024 * 1024;

    private ModelArtifacts() {
    }

    /** The artifact of a DJL-trained network of architecture {@code spec} (an MLP or the small CNN). */
    public static ModelArtifact djl(String modelId, int version, Architecture spec, Network network, Instant at) {
        byte[] params = parameters(network);
        return base(modelId, version, params, at).setFormat(ModelFormat.DJL).setArchitecture(spec.toJson())
                .setInputShape(List.of((long) spec.inputs())).setNumClasses(spec.classes())
                .setEmbeddingDim(spec.embeddingDim()).build();
    }

    /** The artifact of a TorchScript file whose module maps [batch, inputs] to (logits [batch, C], h [batch, H]). */
    public static ModelArtifact torchScript(String modelId, int version, byte[] file, int inputs, int classes,
                                            int embeddingDim, Instant at) {
        return base(modelId, version, file, at).setFormat(ModelFormat.TORCHSCRIPT).setArchitecture(null)
                .setInputShape(List.of((long) inputs)).setNumClasses(classes).setEmbeddingDim(embeddingDim).build();
    }

    /**
     * The artifact of a TorchScript file whose module takes [batch, inputs]; C and H, which the file does not declare,
     * are the widths of the (logits, h) it returns for one all-zero input. Refuses, with a
     * {@link ModelRejectedException} that says why, a file that is no TorchScript module or does not run on such input.
     */
    public static ModelArtifact torchScript(String modelId, int version, byte[] file, int inputs, Instant at) {
        String name = modelId + " v" + version;
        DjlRuntime.start();
        int[] widths;
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            try {
                loadTorchScript(model, file);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new ModelRejectedException("model " + name + " is no TorchScript module DJL can load (save it with"
                        + " torch.jit.save(torch.jit.script(module), path), not torch.save): " + reason(e), e);
            }
            try {
                widths = Network.outputWidths(model, inputs);
            } catch (ModelRejectedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelRejectedException("model " + name + " does not run on a batch of inputs of " + inputs
                        + " values: " + reason(e), e);
            }
        }
        return torchScript(modelId, version, file, inputs, widths[0], widths[1], at);
    }

    /** Verifies and loads {@code artifact} on {@code device}. */
    public static Network load(ModelArtifact artifact, Device device) {
        String name = artifact.getModelId() + " v" + artifact.getVersion();
        byte[] bytes = bytesOf(artifact, name);
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(artifact.getSha256())) {
            throw new ModelRejectedException("model " + name + ": sha256 of its bytes is " + actual + " but the artifact says "
                    + artifact.getSha256() + "; refusing it (republish the model with the right digest)");
        }
        int inputs = Math.toIntExact(artifact.getInputShape().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b));
        DjlRuntime.start();
        Model model = Model.newInstance(name, device, "PyTorch");
        try {
            switch (artifact.getFormat()) {
                case DJL -> loadDjl(model, Architecture.fromJson(requireArchitecture(artifact, name)), bytes, inputs, artifact, name);
                case TORCHSCRIPT -> loadTorchScript(model, bytes);
            }
            Network network = new Network(model, inputs, artifact.getNumClasses(), artifact.getEmbeddingDim());
            network.forward(new float[1][inputs]); // fail now, not on the first owner sample, if the shapes do not fit
            return network;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e instanceof ModelRejectedException m ? m
                    : new ModelRejectedException("model " + name + " (" + artifact.getFormat() + ") cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The parameters of a DJL network, as the DJL artifact stores them. */
    public static byte[] parameters(Network network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            network.model().getBlock().saveParameters(data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise parameters", e);
        }
        return out.toByteArray();
    }

    /** A fresh, untrained DJL network for {@code spec} (parameters initialised from the engine's seeded generator). */
    public static Network newNetwork(String name, Architecture spec, Device device) {
        DjlRuntime.start();
        Model model = Model.newInstance(name, device, "PyTorch");
        TrunkAndHeadBlock block = spec.newBlock();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, spec.inputs()));
        return new Network(model, spec.inputs(), spec.classes(), spec.embeddingDim());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void loadDjl(Model model, Architecture spec, byte[] bytes, int inputs, ModelArtifact artifact, String name)
            throws IOException, MalformedModelException {
        if (spec.inputs() != inputs || spec.classes() != artifact.getNumClasses() || spec.embeddingDim() != artifact.getEmbeddingDim()) {
            throw new ModelRejectedException("model " + name + ": architecture " + spec.toJson() + " contradicts the artifact's"
                    + " inputShape " + artifact.getInputShape() + ", numClasses " + artifact.getNumClasses()
                    + ", embeddingDim " + artifact.getEmbeddingDim());
        }
        TrunkAndHeadBlock block = spec.newBlock();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputs));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(model.getNDManager(), in);
        }
    }

    private static void loadTorchScript(Model model, byte[] bytes) throws IOException, MalformedModelException {
        ((PtModel) model).load(new ByteArrayInputStream(bytes), Map.of());
    }

    /** The engine's reason: the last line of its message, after the TorchScript interpreter's tracebacks if any. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage()).strip();
        return message.substring(message.lastIndexOf('\n') + 1);
    }

    private static String requireArchitecture(ModelArtifact artifact, String name) {
        if (artifact.getArchitecture() == null) {
            throw new ModelRejectedException("model " + name + " is in DJL format but has no architecture spec");
        }
        return artifact.getArchitecture();
    }

    private static byte[] bytesOf(ModelArtifact artifact, String name) {
        if (artifact.getBytes() != null) {
            ByteBuffer b = artifact.getBytes().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        }
        if (artifact.getUri() == null) {
            throw new ModelRejectedException("model " + name + " has neither bytes nor a uri");
        }
        try (InputStream in = URI.create(artifact.getUri()).toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelRejectedException("model " + name + ": cannot read " + artifact.getUri() + ": " + e.getMessage(), e);
        }
    }

    private static ModelArtifact.Builder base(String modelId, int version, byte[] bytes, Instant at) {
        ModelArtifact.Builder b = ModelArtifact.newBuilder().setModelId(modelId).setVersion(version)
                .setSha256(sha256(bytes)).setCreatedAt(at);
        if (bytes.length > MAX_INLINE_BYTES) {
            throw new IllegalArgumentException("model " + modelId + " is " + bytes.length + " bytes, over the "
                    + MAX_INLINE_BYTES + " inline limit: publish it by uri");
        }
        return b.setBytes(ByteBuffer.wrap(bytes));
    }
}
