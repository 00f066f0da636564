package org.travelingwords.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a properties file whose keys are a command's long option names without the
 * dashes, read as that command's defaults (so options on the command line win). It is found in the
 * arguments before they are parsed, because defaults must be in place when parsing starts. An unknown
 * key is an error, never ignored: a misspelt key would silently run with the default.
 */
final class ConfigFile {

    private ConfigFile() {}

    /** Makes the file after {@code --config} in {@code args} the defaults of {@code command}, if there is one. */
    static void applyTo(CommandLine command, String[] args) throws ConfigurationException {
        String file = configArgument(command.getCommandName(), args);
        if (file == null) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("--config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("--config " + file + ": " + e.getMessage());
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            known.add(option.longestName().replaceFirst("^-+", ""));
        }
        known.remove("config");
        for (String key : properties.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new ConfigurationException("--config " + file + ": unknown key '" + key + "'; the keys are the "
                        + "long options of tw " + command.getCommandName() + " without dashes: " + known);
            }
        }
        command.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(properties));
    }

    /** The value of --config after {@code commandName} in {@code args}, or null. */
    private static String configArgument(String commandName, String[] args) {
        boolean inCommand = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(commandName)) {
                inCommand = true;
            } else if (inCommand && args[i].equals("--config") && i + 1 < args.length) {
                return args[i + 1];
            } else if (inCommand && args[i].startsWith("--config=")) {
                return args[i].substring("--config=".length());
            }
        }
        return null;
    }
}
