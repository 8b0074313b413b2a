using System.Text.RegularExpressions;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// docs/design.md is where the rules the code cites are written down: every rule id cited in src/ and tests/
/// is defined there, and every rule defined there is held by at least one test named after it.
/// </summary>
public sealed partial class DesignDocumentTests
{
    private static readonly string Root = AzuriteServer.RepositoryRoot();

    [Fact]
    public void EveryRuleCitedInCodeOrTests_IsDefinedInTheDesignDocument()
    {
        var defined = DefinedRules();
        var cited = SourceFiles("src").Concat(SourceFiles("tests"))
            .SelectMany(file => RuleId().Matches(File.ReadAllText(file)).Select(m => (Rule: m.Value, File: Path.GetRelativePath(Root, file))))
            .ToList();

        Assert.NotEmpty(cited);
        var undefined = cited.Where(c => !defined.Contains(c.Rule)).Select(c => $"{c.Rule} in {c.File}").Distinct().ToList();
        Assert.True(undefined.Count == 0, "cited but not defined in docs/design.md: " + string.Join(", ", undefined));
    }

    [Fact]
    public void EveryRuleDefinedInTheDesignDocument_IsNamedByATest()
    {
        var tested = SourceFiles("tests")
            .SelectMany(file => TestName().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
            .SelectMany(name => name.Split('_'))
            .ToHashSet(StringComparer.Ordinal);

        var untested = DefinedRules().Where(rule => !tested.Contains(rule)).Order().ToList();

        Assert.True(untested.Count == 0, "defined in docs/design.md but no test is named after them: " + string.Join(", ", untested));
    }

    [Fact]
    public void TheDesignDocument_DefinesTheGateAndEvidenceRulesOnce()
    {
        var rows = RuleRow().Matches(File.ReadAllText(DesignDocument())).Select(m => m.Groups["rule"].Value).ToList();

        Assert.Equal(rows.Distinct().Count(), rows.Count);
        Assert.Equal([.. Enumerable.Range(1, 13).Select(i => $"G{i}"), .. Enumerable.Range(1, 18).Select(i => $"E{i}")], rows.OrderBy(r => r[0] == 'E').ThenBy(r => int.Parse(r[1..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static HashSet<string> DefinedRules() =>
        RuleRow().Matches(File.ReadAllText(DesignDocument())).Select(m => m.Groups["rule"].Value).ToHashSet(StringComparer.Ordinal);

    private static string DesignDocument() => Path.Combine(Root, "docs", "design.md");

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>A rule's row in one of the document's rule tables: "| G4 | ...".</summary>
    [GeneratedRegex(@"^\| (?<rule>[GE][0-9]{1,2}) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();

    [GeneratedRegex(@"\b[GE][0-9]{1,2}\b")]
    private static partial Regex RuleId();

    [GeneratedRegex(@"(?:Task|void) (?<name>[A-Za-z0-9_]+)\(")]
    private static partial Regex TestName();
}
