package org.travelingwords.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Deals files into groups of about equal total size, one group per Spark task: the largest file
 * first, each to the group with the fewest bytes so far. A file is never split (a gzip stream cannot
 * be), so one huge file still makes one long task.
 */
final class FileGroups {

    private FileGroups() {}

    /** At most {@code groups} non-empty groups; each is an ArrayList (serializable). */
    static List<List<CorpusFile>> balance(List<CorpusFile> files, int groups) {
        int n = Math.max(1, Math.min(groups, files.size()));
        List<CorpusFile> largestFirst = new ArrayList<>(files);
        largestFirst.sort(Comparator.comparingLong(CorpusFile::bytes).reversed().thenComparing(CorpusFile::path));

        record Group(List<CorpusFile> files, long[] bytes) {}
        PriorityQueue<Group> lightestFirst = new PriorityQueue<>(
                Comparator.comparingLong((Group g) -> g.bytes()[0]).thenComparingInt(g -> g.files().size()));
        for (int i = 0; i < n; i++) {
            lightestFirst.add(new Group(new ArrayList<>(), new long[1]));
        }
        for (CorpusFile file : largestFirst) {
            Group lightest = lightestFirst.poll();
            lightest.files().add(file);
            lightest.bytes()[0] += file.bytes();
            lightestFirst.add(lightest);
        }
        List<List<CorpusFile>> result = new ArrayList<>();
        for (Group group : lightestFirst) {
            if (!group.files().isEmpty()) {
                result.add(group.files());
            }
        }
        return result;
    }
}
