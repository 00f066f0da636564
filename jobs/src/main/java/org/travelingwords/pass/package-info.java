/**
 * The corpus pass of {@code tw run} (DESIGN §1): how a batch of tokens travels from a corpus file
 * to a table row, in this order.
 *
 * <ol>
 * <li><b>read</b> — {@link org.travelingwords.corpus.CorpusReader} turns files into documents
 *     (doc_id, text), and bad records into rejects with a reason;</li>
 * <li><b>window</b> — {@link org.travelingwords.pass.DocumentWindower} tokenizes (GPT-2 BPE) and cuts
 *     each document into windows of the block size ({@link org.travelingwords.pass.WindowColumns});</li>
 * <li><b>plan</b> — {@link org.travelingwords.pass.WindowPlan} counts windows per (length bucket,
 *     hash slot), packs slots into batch groups ({@link org.travelingwords.pass.SlotPacking},
 *     {@link org.travelingwords.pass.BatchGroups}) and places the groups on partitions by tokens
 *     ({@link org.travelingwords.pass.GroupPlacement}): batches never depend on the partition count;</li>
 * <li><b>partition pass</b> — on each executor {@link org.travelingwords.pass.PartitionPass} gets the
 *     JVM's model ({@link org.travelingwords.exec.ExecutorModel}) and cuts its groups into batches
 *     ({@link org.travelingwords.pass.WindowBatcher}, {@link org.travelingwords.pass.BatchRows});</li>
 * <li><b>one forward</b> — {@link org.travelingwords.analysis.OnePassForward} runs
 *     {@link org.travelingwords.model.HookedGpt2} once per batch with the union of the analyses' hooks;</li>
 * <li><b>fold</b> — each {@link org.travelingwords.pass.CorpusAnalysis} reduces its hooks on the
 *     device and folds the small host arrays into its partition's mergeable partial
 *     ({@link org.travelingwords.pass.CorpusAnalysis.PartitionFold});</li>
 * <li><b>merge</b> — the driver merges the cached partials ({@link org.travelingwords.pass.PartitionResult})
 *     in partition order, a few partitions per job, in {@link org.travelingwords.pass.CorpusPass};</li>
 * <li><b>tables</b> — each analysis writes its tables from its merged partial
 *     ({@link org.travelingwords.pass.CorpusAnalysis#writeTables});</li>
 * <li><b>commit</b> — {@link org.travelingwords.pass.CorpusRun} (or {@code tw nightly}'s run, which also
 *     merges the partials with the previous night's) ends the run through
 *     {@link org.travelingwords.catalog.RunLifecycle}: all tables and a {@code succeeded} runs row, or a
 *     {@code failed} row and no tables.</li>
 * </ol>
 *
 * <p>The analyses ({@code org.travelingwords.sphere}, {@code org.travelingwords.heads}) implement
 * {@link org.travelingwords.pass.CorpusAnalysis}; this package knows none of them, and
 * {@code org.travelingwords.analyses.AnalysisRegistry} names them for the command line.
 */
package org.travelingwords.pass;
