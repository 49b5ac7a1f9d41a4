package io.mycroft.experiments;

import io.mycroft.experiments.data.DatasetLoader;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.experiments.scenario.OwnerDataException;
import io.mycroft.experiments.scenario.OwnerDataGenerator;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.experiments.scenario.ScenarioException;
import io.mycroft.experiments.scenario.ScenarioParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
  * Command line: writes the MT's and every owner's files for one scenario and seed.
  * {@code GenerateOwnerData [--png-folders] <scenario.yaml> <seed> <out-dir> [data-dir]}; data-dir defaults to
  * {@code data}; {@code --png-folders} writes image owners as PNG-per-label folders instead of IDX.
  * Exit codes: 0 done, 2 bad arguments or scenario, 3 the data set cannot supply the scenario, 4 I/O failure.
  */
public final class GenerateOwnerData {
    private GenerateOwnerData() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] arguments, PrintStream out, PrintStream err) {
        List<String> list = new ArrayList<>(List.of(arguments));
        OwnerDataGenerator.ImageLayout layout = list.remove("--png-folders")
                ? OwnerDataGenerator.ImageLayout.PNG_FOLDERS : OwnerDataGenerator.ImageLayout.IDX;
        String[] args = list.toArray(String[]::new);
        if (args.length < 3 || args.length > 4) {
            err.println("usage: GenerateOwnerData [--png-folders] <scenario.yaml> <seed> <out-dir> [data-dir (default: data)]");
            return 2;
        }
        long seed;
        try {
            seed = Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            err.println("seed must be an integer, was '" + args[1] + "'");
            return 2;
        }
        try {
            Scenario scenario = ScenarioParser.parse(Path.of(args[0]));
            Path dataDir = Path.of(args.length == 4 ? args[3] : "data");
            GeneratedData g = OwnerDataGenerator.generate(scenario, DatasetLoader.load(dataDir, scenario.dataset()), seed,
                    Path.of(args[2]), layout);
            out.println("scenario " + g.scenario() + ", seed " + g.seed() + " → " + args[2]);
            for (GeneratedData.OwnerFiles o : g.owners()) {
                out.println("  " + o.directory() + ": " + o.size() + " samples, " + o.labelsFlipped() + " labels flipped, "
                        + o.corrupted() + " corrupted, " + o.exactCopies() + " exact and " + o.rescaledCopies()
                        + " rescaled copies, " + o.overlap() + " shared" + (o.overlap() == 0 ? "" : " with " + o.overlapWith()));
            }
            return 0;
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return 2;
        } catch (OwnerDataException e) {
            err.println(e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("cannot read the data set or write the files: " + e.getMessage());
            return 4;
        }
    }
}
