package io.wsbench.jmh;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.ExternalProfiler;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.WorkloadParams;

/**
 * One of JMH's file-writing profilers with a short folder per trial: {@link ShortFolderAsyncProfiler}, {@link
 * ShortFolderJfrProfiler}. JMH 1.37 names each trial's folder {@link BenchmarkParams#id()}: the benchmark, its mode
 * and every parameter. The idle, load and broadcast benchmarks have some twenty parameters, a name longer than the
 * 255 bytes a Linux file name may have, so async-profiler fails every iteration with "File name too long". Here the
 * wrapped profiler sees a trial whose id is {@code Class.method-mode-HASH} (HASH of the full id: the same trial gets
 * the same folder in every run), and {@value #TRIAL_FILE} in that folder names the benchmark, mode and parameters.
 * Options are the wrapped profiler's, {@code dir=} included.
 */
abstract class ShortFolderProfiler implements ExternalProfiler, InternalProfiler {
    /** The file in each trial's folder that says which trial it is. */
    static final String TRIAL_FILE = "trial.txt";

    private final ExternalProfiler external;
    private final InternalProfiler internal;
    private final Path dir;
    private BenchmarkParams trial;
    private BenchmarkParams shortNamed;

    <P extends ExternalProfiler & InternalProfiler> ShortFolderProfiler(String initLine, P wrapped) {
        this.external = wrapped;
        this.internal = wrapped;
        this.dir = outputDir(initLine);
    }

    /** The folder the wrapped profiler writes into: its {@code dir=} option, else the working directory, as in JMH. */
    static Path outputDir(String initLine) {
        for (String option : initLine.split(";")) {
            if (option.startsWith("dir=")) {
                return Path.of(option.substring("dir=".length()));
            }
        }
        return Path.of(System.getProperty("user.dir"));
    }

    /** The trial's folder name: {@code Class.method-mode-HASH}. */
    static String folderName(BenchmarkParams trial) {
        String benchmark = trial.getBenchmark();
        int method = benchmark.lastIndexOf('.');
        String classAndMethod = benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
        return classAndMethod + "-" + trial.getMode().shortLabel() + "-" + String.format("%08x", trial.id().hashCode());
    }

    /** {@code trial} with {@link #folderName} as its id; everything else as it is. */
    static BenchmarkParams shortNamed(BenchmarkParams trial) {
        WorkloadParams params = new WorkloadParams();
        int order = 0;
        for (String key : trial.getParamsKeys()) {
            params.put(key, trial.getParam(key), order++);
        }
        String id = folderName(trial);
        return new BenchmarkParams(trial.getBenchmark(), trial.generatedBenchmark(), trial.shouldSynchIterations(),
                trial.getThreads(), trial.getThreadGroups(), trial.getThreadGroupLabels(),
                trial.getForks(), trial.getWarmupForks(), trial.getWarmup(), trial.getMeasurement(),
                trial.getMode(), params, trial.getTimeUnit(), trial.getOpsPerInvocation(),
                trial.getJvm(), trial.getJvmArgs(),
                trial.getJdkVersion(), trial.getVmName(), trial.getVmVersion(), trial.getJmhVersion(), trial.getTimeout()) {
            private static final long serialVersionUID = 1L;

            @Override
            public String id() {
                return id;
            }
        };
    }

    /** What {@value #TRIAL_FILE} says: benchmark, mode and parameters, one a line. */
    static String describe(BenchmarkParams trial) {
        return "benchmark: " + trial.getBenchmark() + "\nmode: " + trial.getMode().shortLabel() + "\nparameters: "
                + trial.getParamsKeys().stream().map(key -> key + " = " + trial.getParam(key)).collect(Collectors.joining(", "))
                + "\n";
    }

    /** The short-named twin of {@code params}, made (and its folder's {@value #TRIAL_FILE} written) once per trial. */
    private BenchmarkParams forWrapped(BenchmarkParams params) {
        if (params != trial) {
            BenchmarkParams renamed = shortNamed(params);
            Path folder = dir.resolve(renamed.id());
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve(TRIAL_FILE), describe(params), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + folder.resolve(TRIAL_FILE) + ": give the profiler a writable dir=", e);
            }
            trial = params;
            shortNamed = renamed;
        }
        return shortNamed;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        internal.beforeIteration(forWrapped(benchmarkParams), iterationParams);
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        return internal.afterIteration(forWrapped(benchmarkParams), iterationParams, result);
    }

    @Override
    public Collection<String> addJVMInvokeOptions(BenchmarkParams params) {
        return external.addJVMInvokeOptions(params);
    }

    @Override
    public Collection<String> addJVMOptions(BenchmarkParams params) {
        return external.addJVMOptions(params);
    }

    @Override
    public void beforeTrial(BenchmarkParams benchmarkParams) {
        external.beforeTrial(benchmarkParams);
    }

    @Override
    public Collection<? extends Result> afterTrial(BenchmarkResult br, long pid, File stdOut, File stdErr) {
        return external.afterTrial(br, pid, stdOut, stdErr);
    }

    @Override
    public boolean allowPrintOut() {
        return external.allowPrintOut();
    }

    @Override
    public boolean allowPrintErr() {
        return external.allowPrintErr();
    }

    @Override
    public String getDescription() {
        return external.getDescription() + " With a short folder per trial (" + TRIAL_FILE + " in it names the trial).";
    }
}
