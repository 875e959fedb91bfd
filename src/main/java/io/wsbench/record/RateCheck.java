package io.wsbench.record;

/**
 * Whether an open-loop run delivered the rate it was asked for. When the achieved echo rate falls
 * more than {@value #MAX_SHORTFALL_PERCENT} % short of the target, client or server could not keep
 * up and the run's latencies describe a lighter load than the one asked for: the run is invalid.
 */
public record RateCheck(double targetPerSecond, double achievedPerSecond) {
    public static final double MAX_SHORTFALL_PERCENT = 5.0;

    public RateCheck {
        if (!(targetPerSecond > 0) || Double.isInfinite(targetPerSecond)) {
            throw new IllegalArgumentException("target rate must be a positive number, was " + targetPerSecond);
        }
    }

    /** How far the achieved rate is below the target, in percent of the target; 0 when it is not below. */
    public double shortfallPercent() {
        return Math.max(0.0, 100.0 * (targetPerSecond - achievedPerSecond) / targetPerSecond);
    }

    public boolean valid() {
        return shortfallPercent() <= MAX_SHORTFALL_PERCENT;
    }

    /** One line for the console, loud when the run is invalid. */
    public String describe() {
        if (valid()) {
            return String.format("open loop: achieved %.0f msg/s of the %.0f msg/s target", achievedPerSecond, targetPerSecond);
        }
        return String.format("INVALID RUN: open loop achieved %.0f msg/s, %.1f %% short of the %.0f msg/s target"
                + " (more than %.0f %%): client or server could not keep up, so its latencies describe a lighter load;"
                + " lower -p rate or find the limit with scripts/capacity",
                achievedPerSecond, shortfallPercent(), targetPerSecond, MAX_SHORTFALL_PERCENT);
    }
}
