package io.ordercqrs.localservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnSessionTests {

    @Test
    void startsTheCommandInASessionOfItsOwnUnderItsOwnPid() throws Exception {
        assumeTrue(OwnSession.command(List.of("sh")).size() == 2, "setsid is installed (Linux)");

        Process shell = new ProcessBuilder(OwnSession.command(List.of("sh", "-c", "cat /proc/$$/stat"))).start();
        String started = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(shell.waitFor()).isZero();

        Stat shellStat = Stat.parse(started);
        Stat ours = Stat.parse(Files.readString(Path.of("/proc/self/stat")));
        assertThat(shellStat.pid()).as("the shell runs under the pid the launcher stops (setsid did not fork)")
                .isEqualTo(shell.pid());
        assertThat(shellStat.session()).as("the shell leads a session of its own")
                .isEqualTo(shell.pid())
                .isNotEqualTo(ours.session());
    }

    /** The fields of {@code /proc/<pid>/stat} this test reads. */
    private record Stat(long pid, long session) {

        static Stat parse(String line) {
            String[] afterName = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return new Stat(Long.parseLong(line.substring(0, line.indexOf(' '))), Long.parseLong(afterName[3]));
        }
    }
}
