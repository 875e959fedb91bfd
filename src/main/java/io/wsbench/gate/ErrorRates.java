package io.wsbench.gate;

import io.wsbench.results.JmhResultFile;
import io.wsbench.results.JmhResultFile.Result;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Estimates the gate's error rates by resampling recorded forks: how often an unchanged build fails (false alarm)
 * and how often a slowdown of a given size is caught (detection), at a given number of forks a side.
 *
 * <p>The null pool of a row is the per-fork means of every fork of both sides of each unchanged {@code ab} run given:
 * under "nothing changed" base and head forks are exchangeable. One draw takes {@code 2 x forks} of them without
 * replacement, calls the first half base and the second head, and applies the gate's rule (worse by more than the
 * threshold and Welch's p below alpha, on the per-fork means). For detection the head half is first made worse by the
 * effect: time per operation times (1 + effect), throughput times (1 - effect). Pooling forks of different runs keeps
 * run-to-run drift in the spread, which ab's interleaving cancels in a real run, so these figures lean pessimistic.
 */
final class ErrorRates {

    private ErrorRates() {
    }

    /** One row of a pool: its label, whether higher is better, and the per-fork means of every null fork. */
    record Pool(String label, boolean higherIsBetter, double[] forkMeans) {
    }

    /** The null pools, one per benchmark/mode/params present in every run, in the first run's order. */
    static List<Pool> pools(List<Path> runDirs) {
        Map<String, Pool> pools = new LinkedHashMap<>();
        Map<String, List<Double>> means = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Path dir : runDirs) {
            for (String side : List.of("base.json", "head.json")) {
                Path file = dir.resolve(side);
                if (!Files.isReadable(file)) {
                    throw new GateInputException(file + " not found; pass folders written by scripts/gate ab --out DIR");
                }
                for (Result r : JmhResultFile.read(file).results()) {
                    String key = r.benchmark() + "|" + r.mode() + "|" + r.params();
                    pools.putIfAbsent(key, new Pool(r.shortName() + " [" + r.mode() + "] " + shortParams(r),
                            r.higherIsBetter(), new double[0]));
                    for (double m : r.primaryMetric().forkMeans()) {
                        means.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
                    }
                    seen.merge(key, 1, Integer::sum);
                }
            }
        }
        List<Pool> result = new ArrayList<>();
        pools.forEach((key, p) -> {
            if (seen.get(key) == 2 * runDirs.size()) {
                result.add(new Pool(p.label(), p.higherIsBetter(),
                        means.get(key).stream().mapToDouble(Double::doubleValue).toArray()));
            }
        });
        if (result.isEmpty()) {
            throw new GateInputException("no benchmark is in every run given; pass ab folders of the same preset");
        }
        return result;
    }

    private static String shortParams(Result r) {
        List<String> kept = new ArrayList<>();
        r.params().forEach((k, v) -> {
            if (k.equals("payloadBytes") || k.equals("server")) {
                kept.add(k + "=" + v);
            }
        });
        return String.join(", ", kept);
    }

    /**
     * The fraction of {@code draws} in which the gate calls the row a regression, with the head made worse by
     * {@code effect} (0 for the false-alarm rate). {@code anyRow} collects, per draw, whether some row failed.
     */
    static double rate(Pool pool, int forks, double effect, double thresholdPercent, double alpha, int draws,
                       Random random, boolean[] anyRow) {
        if (pool.forkMeans().length < 2 * forks) {
            throw new GateInputException(pool.label() + ": the runs given hold " + pool.forkMeans().length
                    + " forks, fewer than the " + 2 * forks + " a draw of " + forks + " a side needs; pass more runs or a smaller --forks");
        }
        double[] all = pool.forkMeans().clone();
        double[] base = new double[forks];
        double[] head = new double[forks];
        double worse = pool.higherIsBetter() ? 1 - effect : 1 + effect;
        int regressions = 0;
        for (int d = 0; d < draws; d++) {
            // partial Fisher-Yates: the first 2 x forks places become a draw without replacement
            for (int i = 0; i < 2 * forks; i++) {
                int j = i + random.nextInt(all.length - i);
                double t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            System.arraycopy(all, 0, base, 0, forks);
            for (int i = 0; i < forks; i++) {
                head[i] = all[forks + i] * worse;
            }
            if (regresses(base, head, pool.higherIsBetter(), thresholdPercent, alpha)) {
                regressions++;
                anyRow[d] = true;
            }
        }
        return regressions / (double) draws;
    }

    /** The gate's rule on per-fork means: worse by more than the threshold and Welch's p below alpha. */
    static boolean regresses(double[] base, double[] head, boolean higherIsBetter, double thresholdPercent, double alpha) {
        double b = Arrays.stream(base).average().orElseThrow();
        double h = Arrays.stream(head).average().orElseThrow();
        double change = (h - b) / b * 100;
        double worse = higherIsBetter ? -change : change;
        return worse > thresholdPercent && RegressionGate.welchPValue(base, head) < alpha;
    }

    /** The report: per row the pool's size and spread, the false-alarm rate and the detection rate at each effect. */
    static String report(List<Path> nullRuns, int forks, double[] effectsPercent, Thresholds thresholds, double alpha,
                         int draws, long seed) {
        List<Pool> pools = pools(nullRuns);
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Resampled from %d unchanged ab runs (%s): %d draws of %d forks a side per row,"
                        + " rule: worse by > %s and Welch's p < %s on per-fork means; seed %d%n%n",
                nullRuns.size(), String.join(", ", nullRuns.stream().map(Path::toString).toList()), draws, forks,
                thresholds.describe(), RegressionGate.trim(alpha), seed));
        List<String> header = new ArrayList<>(List.of("row", "forks in pool", "fork CV", "false alarm"));
        for (double e : effectsPercent) {
            header.add("detect +" + RegressionGate.trim(e) + "%");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        boolean[] anyFalse = new boolean[draws];
        List<boolean[]> anyDetected = new ArrayList<>();
        for (double ignored : effectsPercent) {
            anyDetected.add(new boolean[draws]);
        }
        for (Pool p : pools) {
            double thresholdPercent = thresholds.forBenchmark(p.label());
            double mean = Arrays.stream(p.forkMeans()).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(p.forkMeans()).map(v -> (v - mean) * (v - mean)).sum() / (p.forkMeans().length - 1));
            List<String> row = new ArrayList<>(List.of(p.label(), String.valueOf(p.forkMeans().length),
                    percent(sd / mean), percent(rate(p, forks, 0, thresholdPercent, alpha, draws, random, anyFalse))));
            for (int e = 0; e < effectsPercent.length; e++) {
                row.add(percent(rate(p, forks, effectsPercent[e] / 100, thresholdPercent, alpha, draws, random, anyDetected.get(e))));
            }
            rows.add(row);
        }
        List<String> total = new ArrayList<>(List.of("any row of the run", "", "", percent(fraction(anyFalse))));
        for (boolean[] any : anyDetected) {
            total.add(percent(fraction(any)));
        }
        rows.add(total);
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                out.append(i == 0 ? "" : "  ").append(i == 0 ? cell + pad : pad + cell);
            }
            out.append('\n');
        }
        out.append("\n'detect +E%': the head's forks made E% worse; 'any row': the share of draws in which at least one row"
                + " failed (rows drawn independently).\n");
        return out.toString();
    }

    private static double fraction(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n / (double) flags.length;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
