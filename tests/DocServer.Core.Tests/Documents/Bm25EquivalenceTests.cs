using DocServer.Core.Documents;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Core.Tests.Documents;

/// <summary>
/// The compact, pruned index against the plain one it replaced: for random corpora (Korean and English words
/// from a small vocabulary, so terms repeat and scores tie), random removals and random queries, the same top k:
/// same chunks, same order, same raw and normalised scores.
/// </summary>
public sealed class Bm25EquivalenceTests
{
    private static readonly string[] Vocabulary =
    [
        "notice", "tenancy", "deposit", "boiler", "pressure", "landlord", "months", "rent", "service", "annual",
        "연차휴가", "신청", "절차", "근로자", "사용자", "휴가를", "서면으로", "보증금", "반환", "점검",
    ];

    [Fact]
    public void Search_RandomCorporaAddedOneByOneOrAtOnceRemovalsAndQueries_GivesTheSameTopKAsScoringEveryChunk()
    {
        var corpus = from documents in Gen.Choose(1, 40)
                     from words in Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())
                     from removals in Gen.ListOf(Gen.Choose(0, 39)).Select(l => l.ToArray())
                     from queries in Gen.ListOf(Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())).Select(l => l.ToArray())
                     from top in Gen.Choose(1, 12)
                     from batched in Gen.Elements(false, true)
                     select (documents, words, removals, queries, top, batched);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(corpus.ToArbitrary(), run =>
        {
            var (fresh, reference) = (new Bm25Index(), new ReferenceBm25Index());
            var documents = Enumerable.Range(0, run.documents).Select(d => ($"doc{d}", (IReadOnlyList<DocumentChunk>)Chunks(d, run.words))).ToList();
            foreach (var (id, chunks) in documents)
            {
                reference.Add(id, chunks);
            }

            // Added one by one, or all at once (tokenised in parallel, as a snapshot loads): the same index either way.
            if (run.batched)
            {
                fresh.AddRange(documents);
            }
            else
            {
                foreach (var (id, chunks) in documents)
                {
                    fresh.Add(id, chunks);
                }
            }

            foreach (var removal in run.removals)
            {
                Assert.Equal(reference.Remove($"doc{removal}"), fresh.Remove($"doc{removal}"));
            }

            foreach (var query in run.queries.Append([0, 10, 11]))
            {
                var text = string.Join(' ', query.Select(q => Vocabulary[q]));
                var expected = reference.Search(text, run.top);
                var actual = fresh.Search(text, run.top);
                Assert.Equal(expected.Select(r => (r.ChunkId, r.Score, r.RerankScore)), actual.Select(r => (r.ChunkId, r.Score, r.RerankScore)));
            }

            Assert.Equal(reference.ChunkCount, fresh.ChunkCount);
        }));
    }

    /// <summary>A document of 1-4 chunks of 1-12 words each, drawn from the shared word stream.</summary>
    private static List<DocumentChunk> Chunks(int document, int[] words)
    {
        var chunks = new List<DocumentChunk>();
        var count = 1 + (document % 4);
        for (var c = 0; c < count; c++)
        {
            var length = 1 + ((document * 7 + c * 3) % 12);
            var text = string.Join(' ', Enumerable.Range(0, length).Select(i => words.Length == 0 ? Vocabulary[(document + i) % Vocabulary.Length] : Vocabulary[words[(document * 13 + c * 5 + i) % words.Length]]));
            chunks.Add(new DocumentChunk($"doc{document}", c, $"Doc {document}", null, text));
        }

        return chunks;
    }
}
