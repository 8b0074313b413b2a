namespace DocServer.Benchmarks;

/// <summary>Nearest-rank percentiles, the one definition every benchmark table uses.</summary>
internal static class Percentiles
{
    public static double Of(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
