package io.mycroft.experiments.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The data sets shipped under {@code data/} (see data/README.md), with their class names in class-id order. */
public enum DatasetId {
    FASHION_MNIST("fashion-mnist", Kind.IMAGE,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
    LETTER("letter", Kind.TABULAR,
            List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U",
                    "V", "W", "X", "Y", "Z")),
    SHUTTLE("shuttle", Kind.TABULAR, List.of("RadFlow", "FpvClose", "FpvOpen", "High", "Bypass", "BpvClose", "BpvOpen"));

    /** Images are 28×28 unsigned bytes (IDX); tabular rows are numeric features with a text label (CSV). */
    public enum Kind { IMAGE, TABULAR }

    private final String fileName;
    private final Kind kind;
    private final List<String> classNames;

    DatasetId(String fileName, Kind kind, List<String> classNames) {
        this.fileName = fileName;
        this.kind = kind;
        this.classNames = classNames;
    }

    /** The name used in scenario files and under data/: {@code fashion-mnist}, {@code letter}, {@code shuttle}. */
    public String fileName() {
        return fileName;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> classNames() {
        return classNames;
    }

    public static Optional<DatasetId> fromFileName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (DatasetId id : values()) {
            if (id.fileName.equals(wanted)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }
}
