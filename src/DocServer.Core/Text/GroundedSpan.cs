namespace DocServer.Core.Text;

public enum Grounding
{
    /// <summary>The model's span was found verbatim.</summary>
    Exact,

    /// <summary>Not verbatim, but close enough: replaced by the best matching passage of the source.</summary>
    Snapped,

    /// <summary>Nothing in the source matches well enough: the span is not used.</summary>
    Dropped,
}

/// <summary>Where a model's span really is in its source text (E18), and how it was found.</summary>
public readonly record struct GroundedSpan(Grounding Grounding, int Start, int Length, double Similarity)
{
    public int End => Start + Length;
}
