namespace DocServer.Core.Documents;

/// <summary>The BM25 formula (k1 = 1.2, b = 0.75): the one every score, bound and ceiling of the index uses.</summary>
internal static class Bm25Scoring
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>What one term can add to a chunk's score at most (frequency at saturation): the sum over a query's terms is its ceiling.</summary>
    public static double Saturated(double idf) => idf * (K1 + 1);

    /// <summary>How rare a term is among <paramref name="chunks"/> live chunks when <paramref name="withTerm"/> of them hold it.</summary>
    public static double Idf(int chunks, int withTerm) => Math.Log(1 + ((chunks - withTerm + 0.5) / (withTerm + 0.5)));

    /// <summary>One term's contribution to a chunk of <paramref name="length"/> terms.</summary>
    public static double Score(double idf, int frequency, int length, double averageLength) =>
        idf * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * length / averageLength))));
}
