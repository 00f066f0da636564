package org.travelingwords.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.OutFiles;
import org.travelingwords.catalog.TableSchemas;

/**
 * The word trajectories of the run's model: each phrase with the figure {@code tw trajectory} drew
 * of it, embedded from {@code <out>/trajectory-plots/<run_id>/phrase-NN.png}.
 */
final class TrajectoriesSection extends ReportSection {

    TrajectoriesSection() {
        super("trajectories", "Trajectories");
    }

    @Override
    public SectionBody render(ReportContext context) throws IOException {
        Optional<String> run = context.runOfModel(TableSchemas.TRAJECTORIES);
        if (run.isEmpty()) {
            return SectionBody.absent("no trajectories for model " + context.run().getAs("model_id")
                    + " (tw trajectory draws them)");
        }
        List<Row> phrases = context.rows(TableSchemas.TRAJECTORIES, run.get())
                .select("phrase_index", "phrase").distinct().orderBy("phrase_index").collectAsList();
        StringBuilder html = new StringBuilder("<p>Each phrase's residual stream, stage by stage, through the logit "
                + "lens: LNf(x) on the top three principal axes of the normalized embeddings");
        html.append(run.get().equals(context.runId()) ? "" : " (trajectory run " + Html.text(run.get()) + ")")
                .append(".</p><div class=\"figures\">");
        Path folder = new Path(new Path(context.store().root(), OutFiles.TRAJECTORY_PLOTS), run.get());
        FileSystem fs = folder.getFileSystem(context.hadoopConf());
        for (Row phrase : phrases) {
            Path plot = new Path(folder, OutFiles.trajectoryPlot(phrase.getInt(0)));
            String caption = "“" + Html.text(phrase.getString(1)) + "”";
            if (fs.exists(plot)) {
                try (InputStream png = fs.open(plot)) {
                    html.append(Html.figure(Html.png(png.readAllBytes(), "trajectory of " + phrase.getString(1)),
                            caption));
                }
            } else {
                html.append("<figure><p class=\"muted\">No figure at ").append(Html.text(plot.toString()))
                        .append("</p><figcaption>").append(caption).append("</figcaption></figure>");
            }
        }
        return SectionBody.of(html.append("</div>").toString());
    }
}
