package org.travelingwords.corpus;

import java.io.Serializable;

/**
 * One input file as listed on the driver.
 *
 * @param path   the fully qualified Hadoop path ({@code file:/…}, {@code hdfs://…}, {@code s3a://…}); it is
 *               the {@code source} of every document and reject read from the file
 * @param format how the file is read
 * @param bytes  its size on the file system (compressed size for compressed files)
 */
public record CorpusFile(String path, CorpusFormat format, long bytes) implements Serializable {}
