package io.mycroft.cli.owners;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.connectors.OwnerConnectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OwnersCommandTest {
    @TempDir
    Path workDir;

    @Test
    void parsesADirectoryOrATableButNotBoth() {
        CommandLine.ParseResult dir = parse("add", "o1", "--dir", "/data/o1", "--tasks", "3");
        OwnersCommand.Add add = (OwnersCommand.Add) dir.subcommand().commandSpec().userObject();
        assertThat(add.source.directory.dir).isEqualTo(Path.of("/data/o1"));
        assertThat(add.source.directory.tasks).isEqualTo(3);
        assertThat(add.source.table).isNull();

        CommandLine.ParseResult table = parse("add", "o1", "--jdbc", "jdbc:postgresql://db/x", "--table", "t",
                "--timestamp-column", "ts");
        OwnersCommand.Add.Table t = ((OwnersCommand.Add) table.subcommand().commandSpec().userObject()).source.table;
        assertThat(t.url).isEqualTo("jdbc:postgresql://db/x");
        assertThat(t.idColumn).isEqualTo("id");
        assertThat(t.timestampColumn).isEqualTo("ts");

        StringWriter err = new StringWriter();
        int exit = new CommandLine(new OwnersCommand()).setErr(new PrintWriter(err, true))
                .execute("add", "o1", "--dir", "/d", "--jdbc", "u", "--table", "t");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void tableConfigSelectsTimestampModeOnlyWithATimestampColumn() {
        assertThat(OwnerConnectors.table("o", "jdbc:x", "t", "id", null, "http://r"))
                .doesNotContainKey("mode").containsEntry("connector.class", "io.mycroft.connectors.OwnerJdbcSourceConnector")
                .containsEntry("exactly.once.support", "required")
                .containsEntry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        assertThat(OwnerConnectors.table("o", "jdbc:x", "t", "id", "ts", "http://r"))
                .containsEntry("mode", "timestamp").containsEntry("timestamp.column", "ts");
    }

    @Test
    void aCapIsAnIntegerOfAtLeastZeroOrNoneAndAnythingElseIsAOneLineError() {
        assertThat(OwnerCapCommand.parse("5")).isEqualTo(5);
        assertThat(OwnerCapCommand.parse("0")).isZero();
        assertThat(OwnerCapCommand.parse("none")).isNull();
        for (String bad : new String[]{"-1", "many", "2.5"}) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new OwnersCommand()).setErr(new PrintWriter(err, true))
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        cmd.getErr().println(e.getMessage());
                        return 1;
                    });
            assertThat(cli.execute("cap", "o1", bad, "--work-dir", workDir.toString())).as(bad).isEqualTo(1);
            assertThat(err.toString()).as(bad).isEqualTo("cap must be an integer ≥ 0 or 'none', was '" + bad + "'"
                    + System.lineSeparator());
        }
    }

    @Test
    void saysToStartTheStackWhenThereIsNone() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new OwnersCommand()).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(e.getMessage());
                    return 1;
                });
        assertThat(cli.execute("add", "o1", "--dir", "/d", "--work-dir", workDir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("start the stack first with ./mycroft stack up");
    }

    @Test
    void anOwnerWithItsOwnProducerNeedsAnIdFitForATopicAndAPrincipal() {
        assertThat(((OwnersCommand.Add) parse("add", "o1").subcommand().commandSpec().userObject()).source).isNull();
        for (String[] c : new String[][]{
                {"Owner.A", "owner id 'Owner.A' must match [a-z0-9][a-z0-9-]{0,63}"},
                {"mycroft-admin", "owner id 'mycroft-admin' starts with 'mycroft-', which the platform's own principals use"},
                {"owner-a", "start the stack first with ./mycroft stack up"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new OwnersCommand()).setErr(new PrintWriter(err, true))
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        cmd.getErr().println(e.getMessage());
                        return 1;
                    });
            assertThat(cli.execute("add", c[0], "--work-dir", workDir.toString())).as(c[0]).isEqualTo(1);
            assertThat(err.toString()).as(c[0]).contains(c[1]);
        }
    }

    @Test
    void installPluginReplacesAnEarlierVersionInThePluginPath() throws Exception {
        Path old = java.nio.file.Files.createDirectories(workDir.resolve("plugins").resolve("mycroft-connectors"))
                .resolve("mycroft-connectors-0.0.9-plugin.jar");
        java.nio.file.Files.writeString(old, "old");
        Path jar = java.nio.file.Files.writeString(workDir.resolve("mycroft-connectors-0.1.0-plugin.jar"), "new");
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new OwnersCommand()).setOut(new PrintWriter(out, true))
                .execute("install-plugin", "--jar", jar.toString(), "--work-dir", workDir.toString());
        assertThat(exit).isZero();
        assertThat(old).doesNotExist();
        assertThat(workDir.resolve("plugins/mycroft-connectors/mycroft-connectors-0.1.0-plugin.jar")).hasContent("new");
        assertThat(out.toString()).contains("restart the Connect worker");
    }

    private static CommandLine.ParseResult parse(String... args) {
        return new CommandLine(new OwnersCommand()).parseArgs(args);
    }
}
