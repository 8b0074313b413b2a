using DocServer.Core.Answers;

namespace DocServer.Core.Tests.Answers;

public sealed class CitationsTests
{
    [Theory]
    [InlineData("Two months [1].", "Two months [1].", new[] { 1 })]
    [InlineData("Two months [7].", "Two months.", new int[0])]
    [InlineData("A [1, 4] and B [2][3].", "A [1] and B [2][3].", new[] { 1, 2, 3 })]
    [InlineData("연차휴가는 3일 전에 신청한다 [2]. 예외는 없다 [0].", "연차휴가는 3일 전에 신청한다 [2]. 예외는 없다.", new[] { 2 })]
    public void Clean_RemovesCitationsOfEvidenceThatDoesNotExist(string answer, string expected, int[] cited)
    {
        var (text, numbers) = Citations.Clean(answer, evidenceCount: 3);

        Assert.Equal(expected, text);
        Assert.Equal(cited, numbers);
    }
}
