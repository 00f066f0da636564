package org.travelingwords.cli;

import java.nio.file.Path;

/**
 * The files under conf/ that commands fall back on: beside the installation (TW_HOME, set by
 * bin/tw), else under the working folder.
 */
final class ConfFiles {

    private ConfFiles() {}

    static Path of(String name) {
        String home = System.getenv("TW_HOME");
        return (home != null ? Path.of(home) : Path.of(".")).resolve("conf").resolve(name).toAbsolutePath();
    }
}
