package org.travelingwords.cli;

/** A usage or configuration error found before any Spark work: the CLI prints it and exits 2, having written nothing. */
final class ConfigurationException extends Exception {

    ConfigurationException(String message) {
        super(message);
    }
}
