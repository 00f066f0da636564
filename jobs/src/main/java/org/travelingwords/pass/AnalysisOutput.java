package org.travelingwords.pass;

import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.exec.ModelSettings;

/**
 * What an analysis needs on the driver to turn its merged partial into tables: the session, the
 * run's identity for every row, the model (for work that must run where the model is, on an
 * executor) and the run's staged tables.
 */
public record AnalysisOutput(SparkSession spark, String runId, String modelId, ModelSettings model,
                             RunLifecycle.RunTables tables) {}
