namespace DocServer.Core.Llm;

/// <summary>
/// The endpoints that serve one model for one kind of work (G12): a call takes the first free gate among
/// <see cref="Members"/>. <see cref="Overflow"/> is an ungated endpoint (G10, a cloud model) used only when
/// the members cannot serve within the wait budget; none unless configured, since documents are private.
/// </summary>
public sealed class ModelPool
{
    public ModelPool(IReadOnlyList<ILanguageModel> members, ILanguageModel? overflow = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("A model pool needs at least one endpoint.", nameof(members));
        }

        var names = members.Select(m => m.Endpoint).Append(overflow?.Endpoint).OfType<string>().ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"A model pool names each endpoint once; got {string.Join(", ", names)}.", nameof(members));
        }

        Members = members;
        Overflow = overflow;
    }

    /// <summary>A pool of one endpoint and no overflow: what a single Mac is.</summary>
    public ModelPool(ILanguageModel model)
        : this([model])
    {
    }

    public IReadOnlyList<ILanguageModel> Members { get; }

    public ILanguageModel? Overflow { get; }

    public IReadOnlyList<string> Endpoints => [.. Members.Select(m => m.Endpoint)];

    public ILanguageModel this[string endpoint] =>
        Members.FirstOrDefault(m => m.Endpoint == endpoint) ?? throw new ArgumentException($"Endpoint '{endpoint}' is not in this pool.", nameof(endpoint));
}
