package io.raftkv.load;

/**
 * What a run was: recorded in {@code summary.json} beside the results.
 *
 * @param measuredSeconds wall time of the measured phase (after warm-up)
 */
public record RunInfo(
    int clusterSize,
    int clients,
    String workload,
    long seed,
    double warmupSeconds,
    double measuredSeconds,
    double ratePerClient,
    String jdk,
    int cores,
    String gitCommit,
    String date) {}
