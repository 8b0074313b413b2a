using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace DocServer.Core.Gates;

/// <summary>
/// The configured gates, one per MLX endpoint (G1), and the endpoints that need none (G10: a cloud
/// fallback is not single-inference). A name that is in neither list is an error, never a new gate.
/// </summary>
public sealed partial class GateCatalog
{
    private readonly FrozenDictionary<string, GateMachine> _gates;
    private readonly FrozenSet<string> _ungated;

    public GateCatalog(IReadOnlyDictionary<string, GatePolicy> gates, IEnumerable<string>? ungated = null)
    {
        foreach (var name in gates.Keys.Concat(ungated ?? []))
        {
            if (!IsValidName(name))
            {
                throw new ArgumentException($"Gate name '{name}' must be 1-63 lowercase letters, digits or '-', starting with a letter or digit.", nameof(gates));
            }
        }

        _gates = gates.ToFrozenDictionary(g => g.Key, g => new GateMachine(g.Value), StringComparer.Ordinal);
        _ungated = (ungated ?? []).ToFrozenSet(StringComparer.Ordinal);
        var both = _ungated.Where(_gates.ContainsKey).ToList();
        if (both.Count > 0)
        {
            throw new ArgumentException($"Endpoints {string.Join(", ", both)} are configured both gated and ungated.", nameof(ungated));
        }
    }

    /// <summary>Gate (and endpoint) names: they are Table row keys and appear in setting names.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public IEnumerable<string> GateNames => _gates.Keys.Order(StringComparer.Ordinal);

    /// <summary>True for gated endpoints, false for the ones that need no gate (G10); throws for unknown names.</summary>
    public bool IsGated(string endpoint) =>
        _gates.ContainsKey(endpoint) || (_ungated.Contains(endpoint) ? false : throw Unknown(endpoint));

    public GateMachine Machine(string gate) =>
        _gates.TryGetValue(gate, out var machine) ? machine : throw Unknown(gate);

    private UnknownGateException Unknown(string name) => new(name, _gates.Keys.Concat(_ungated));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();
}
