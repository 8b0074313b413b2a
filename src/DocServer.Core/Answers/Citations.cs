using System.Text.RegularExpressions;

namespace DocServer.Core.Answers;

/// <summary>
/// Citation markers in an answer: <c>[2]</c>, <c>[1, 3]</c>, <c>[1][2]</c>. Markers naming evidence that
/// does not exist are removed (a model inventing [7] for six items must not send a reader looking).
/// </summary>
public static partial class Citations
{
    public static (string Text, IReadOnlyList<int> Cited) Clean(string answer, int evidenceCount)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var cited = new SortedSet<int>();
        var text = Marker().Replace(answer, match =>
        {
            var valid = match.Groups["numbers"].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0)
                .Where(n => n >= 1 && n <= evidenceCount)
                .Distinct()
                .ToList();
            cited.UnionWith(valid);
            return valid.Count == 0 ? string.Empty : "[" + string.Join(", ", valid) + "]";
        });
        return (SpaceBeforePunctuation().Replace(text, "$1").Trim(), [.. cited]);
    }

    [GeneratedRegex(@"\[(?<numbers>\s*\d+(?:\s*,\s*\d+)*\s*)\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[ \t]+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();
}
