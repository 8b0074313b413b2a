using DocServer.Core.Evidence;

namespace DocServer.Core.Tests.Evidence;

public sealed class EvidenceReplyParserTests
{
    private static readonly ReplyItem First = new(1, "a span", 0.9);

    [Theory]
    [InlineData("{\"items\":[{\"n\":1,\"span\":\"a span\",\"relevance\":0.9}]}")]
    [InlineData("```json\n{\"items\":[{\"n\":1,\"span\":\"a span\",\"relevance\":0.9}]}\n```")]
    [InlineData("Here is the evidence you asked for:\n{\"items\": [{\"n\": 1, \"span\": \"a span\", \"relevance\": 0.9}]}\nLet me know if you need more.")]
    [InlineData("<think>The user wants {braces} and \"quotes\"... passage 1 fits.</think>\n{\"items\":[{\"n\":1,\"span\":\"a span\",\"relevance\":0.9}]}")]
    [InlineData("reasoning without an opening tag</think>```\n{\"items\":[{\"n\":\"1\",\"span\":\"a span\",\"relevance\":\"0.9\"}]}\n```")]
    [InlineData("{\"items\":[{\"n\":1.0,\"span\":\"a span\",\"relevance\":0.9,}],}")]
    public void E8_ObjectWithItems_IsFoundWhereverTheModelPutIt(string reply)
    {
        var items = EvidenceReplyParser.TryParse(reply);

        Assert.NotNull(items);
        Assert.Equal(First, Assert.Single(items));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I could not find any evidence.")]
    [InlineData("{\"evidence\":[]}")]
    [InlineData("{\"items\":\"none\"}")]
    [InlineData("[{\"n\":1,\"span\":\"a\",\"relevance\":1}]")]
    [InlineData("{\"items\":[{\"n\":1,\"span\":\"unterminated")]
    public void E8_AnythingElse_IsAParseFailure(string reply) =>
        Assert.Null(EvidenceReplyParser.TryParse(reply));

    [Fact]
    public void E8_EmptyItemsList_IsAValidAnswer() =>
        Assert.Empty(EvidenceReplyParser.TryParse("{\"items\":[]}")!);

    [Fact]
    public void E9_ItemsOfTheWrongShape_AreKeptForValidationAsUnknowns()
    {
        var items = EvidenceReplyParser.TryParse("{\"items\":[\"text\",{\"n\":\"two\",\"span\":5,\"relevance\":true},{\"n\":2.5}]}")!;

        Assert.All(items, item => Assert.True(item.N is null && item.Span is null && item.Relevance is null));
    }
}
