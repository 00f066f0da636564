"""traveling-words: tw nightly every night at 02:30 UTC, from Airflow 2 (copy this file into the dags folder).

The worker that runs the task needs spark-submit on its PATH (a Spark 4 whose jars match the cluster's;
spark-kubernetes for a k8s:// master), the application jar at /opt/traveling-words/traveling-words-app.jar
(jobs/target/traveling-words-app.jar, or the image's) and the config at /etc/traveling-words/nightly.properties
(conf/scheduling/nightly.properties). The Spark connection (conn_id spark_default) names the master.

deploy_mode="client": the driver runs in the task's spark-submit process, so spark-submit exits with tw's own
exit code: 0 done, 1 run failed, 2 bad usage or configuration, 3 another writer holds the out folder's lock.
In cluster mode spark-submit's exit code would not be tw's, and the retry policy below could not tell them apart.

--run-date {{ ds }}: the logical date, so a rerun or a backfill of a date writes that date's run_date
partition. With this daily schedule ds is the start of the interval that just ended: the 02:30 run of
2025-06-02 has ds = 2025-06-01 (cron, systemd and the Kubernetes CronJob date their runs today, UTC;
{{ data_interval_end | ds }} gives that date here).
"""
from __future__ import annotations

import re
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# tw's exit codes (tw --help): 2 = bad usage or configuration, found before any Spark work; 3 = the out folder is
# locked by another writer.
CONFIGURATION_ERROR = 2


class TwNightlySubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator whose task fails at once, without retries, when tw exits 2.

    A configuration error stays one until someone edits the config: retrying it only delays the alert. A held
    lock (3) clears when the other writer finishes, and a failed run (1) may have been a lost executor or a
    cluster hiccup: those keep the task's retries. SparkSubmitHook reports spark-submit's exit code as
    "Error code is: N" in its AirflowException.
    """

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            code = re.search(r"Error code is: (\d+)", str(e))
            if code and int(code.group(1)) == CONFIGURATION_ERROR:
                raise AirflowFailException(f"tw nightly: bad usage or configuration (exit 2), not retried: {e}") from e
            raise


with DAG(
    dag_id="tw_nightly",
    description="traveling-words: tw nightly over the corpus of /etc/traveling-words/nightly.properties",
    schedule="30 2 * * *",  # 02:30 UTC every night (start_date's timezone); Airflow < 2.4: schedule_interval=
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    # catchup=False: each run updates the out folder from the corpus as it is now, so runs for nights the scheduler
    # missed would all read the same corpus under older run dates. One run, the latest, makes up for them; a
    # specific date can still be rerun by hand (airflow dags backfill / clear), which passes that date as ds.
    catchup=False,
    # One run at a time: two would contend for the out folder's lock (exit 3).
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=20),
    default_args={
        "owner": "traveling-words",
        # Retries: worth it for exit 3 (the lock clears when the other writer is done) and for a failed run (1);
        # exit 2 (configuration) is never retried (TwNightlySubmitOperator).
        "retries": 2,
        "retry_delay": timedelta(minutes=30),
    },
    tags=["traveling-words"],
) as dag:
    tw_nightly = TwNightlySubmitOperator(
        task_id="tw_nightly",
        conn_id="spark_default",
        application="/opt/traveling-words/traveling-words-app.jar",
        java_class="org.travelingwords.cli.TwCommand",
        application_args=["nightly", "--config", "/etc/traveling-words/nightly.properties", "--run-date", "{{ ds }}"],
        name="tw-nightly",
        deploy_mode="client",
        execution_timeout=timedelta(hours=20),
    )
