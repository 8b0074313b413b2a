using DocServer.Core.Llm;

namespace DocServer.Core.Tests.Llm;

public sealed class ModelReplyTests
{
    [Theory]
    [InlineData("<think>plan {a}</think>Answer [1].", "Answer [1].")]
    [InlineData("<THINK>one</THINK>A<think>two</think>B", "AB")]
    [InlineData("reasoning whose opening tag the server dropped</think>Answer.", "Answer.")]
    [InlineData("No reasoning at all.", "No reasoning at all.")]
    public void WithoutReasoning_DropsThinkBlocksAndALoneClosingTag(string reply, string expected) =>
        Assert.Equal(expected, ModelReply.WithoutReasoning(reply));

    [Fact]
    public void JsonObjects_FencedFirstOuterBeforeNestedSkippingReasoningAndBracesInStrings()
    {
        var reply = "<think>{\"not\": \"this\"}</think> Prose {\"b\": \"}\"} then\n```json\n{\"a\": {\"x\": 1}}\n```";

        Assert.Equal(["{\"a\": {\"x\": 1}}", "{\"x\": 1}", "{\"b\": \"}\"}", "{\"a\": {\"x\": 1}}", "{\"x\": 1}"], ModelReply.JsonObjects(reply));
    }
}
