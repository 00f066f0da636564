package org.travelingwords.pass;

import static org.apache.spark.sql.functions.lit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.exec.ModelLoads;

/**
 * A run's tables staged per scope (DESIGN §7): every stage call made while a scope is current gets
 * that {@code scope} (aggregate tables only), and each table is committed once, with the rows of every
 * scope, when the run {@link #commit}s — a nightly run writes both {@code run} and {@code cumulative}
 * into the same date, and a second commit of a table would replace the first.
 */
public final class ScopedTables implements RunLifecycle.RunTables {

    private final RunLifecycle.RunTables target;
    private final Map<String, Dataset<Row>> pending = new LinkedHashMap<>();
    private String scope = TableSchemas.SCOPE_RUN;

    public ScopedTables(RunLifecycle.RunTables target) {
        this.target = target;
    }

    /** The scope of the rows staged from now on. */
    public ScopedTables scope(String current) {
        this.scope = current;
        return this;
    }

    @Override
    public void stage(String table, Dataset<Row> rows) {
        Dataset<Row> scoped = TableSchemas.isScoped(table) ? rows.withColumn(TableSchemas.SCOPE, lit(scope)) : rows;
        pending.merge(table, scoped, Dataset::unionByName);
    }

    /** Stages every table with the rows of all its scopes, in the order the tables were first staged. */
    public void commit() {
        pending.forEach(target::stage);
        pending.clear();
    }

    @Override
    public String root() {
        return target.root();
    }

    @Override
    public void served(ModelLoads loads) {
        target.served(loads);
    }
}
