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
    public void Search_RandomCorporaRemovalsAndQueries_GivesTheSameTopKAsScoringEveryChunk()
    {
        var corpus = from documents in Gen.Choose(1, 40)
                     from words in Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())
                     from removals in Gen.ListOf(Gen.Choose(0, 39)).Select(l => l.ToArray())
                     from queries in Gen.ListOf(Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())).Select(l => l.ToArray())
                     from top in Gen.Choose(1, 12)
                     from compactAfter in Gen.Choose(1, 30)
                     select (documents, words, removals, queries, top, compactAfter);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(corpus.ToArbitrary(), run =>
        {
            // Compacting after a few removals, so removed chunks' postings are dropped as often as they are skipped.
            var (fresh, reference) = (new Bm25Index(run.compactAfter), new ReferenceBm25Index());
            foreach (var (id, chunks) in Documents(run.documents, run.words))
            {
                reference.Add(id, chunks);
                fresh.Add(id, chunks);
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

    [Fact]
    public void AddSegment_AnIndexExportedInRandomPartsAndLoaded_AnswersAsItsDocumentsAddedOneByOneInThatOrder()
    {
        var corpus = from documents in Gen.Choose(1, 40)
                     from words in Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())
                     from removals in Gen.ListOf(Gen.Choose(0, 39)).Select(l => l.ToArray())
                     from parts in Gen.ArrayOf(Gen.Choose(0, 3), 40)
                     from reloaded in Gen.ListOf(Gen.Choose(0, 39)).Select(l => l.ToArray())
                     from queries in Gen.ListOf(Gen.ListOf(Gen.Choose(0, Vocabulary.Length - 1)).Select(l => l.ToArray())).Select(l => l.ToArray())
                     from top in Gen.Choose(1, 12)
                     from twice in Gen.Choose(0, 4)
                     select (documents, words, removals, parts, reloaded, queries, top, twice);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(corpus.ToArbitrary(), run =>
        {
            var documents = Documents(run.documents, run.words).ToDictionary(d => d.Id, d => d.Chunks);
            var exporter = new Bm25Index();
            foreach (var (id, chunks) in documents)
            {
                exporter.Add(id, chunks);
            }

            foreach (var removal in run.removals)
            {
                exporter.Remove($"doc{removal}");
                documents.Remove($"doc{removal}");
            }

            // Exported in up to four parts (some empty, one naming a document it does not hold), loaded part by part,
            // some parts twice; then some documents are put again on top, as the change log would.
            var segments = Enumerable.Range(0, 4).Select(part => exporter.Export(
                [.. Enumerable.Range(0, run.documents).Where(d => run.parts[d] == part).Select(d => $"doc{d}"), "nowhere"])).ToList();
            var (loaded, reference) = (new Bm25Index(compactAfter: 2), new ReferenceBm25Index());
            foreach (var segment in segments.Concat(segments.Take(run.twice)))
            {
                // A part loaded again (a first load tried again) replaces what it held.
                loaded.AddSegment(segment);
                foreach (var id in segment.Documents)
                {
                    reference.Add(id, documents[id]);
                }
            }

            foreach (var id in run.reloaded.Select(d => $"doc{d}").Where(documents.ContainsKey))
            {
                loaded.Add(id, documents[id]);
                reference.Add(id, documents[id]);
            }

            Assert.Equal(documents.Keys.Order(), segments.SelectMany(s => s.Documents).Order());
            foreach (var query in run.queries.Append([0, 10, 11]))
            {
                var text = string.Join(' ', query.Select(q => Vocabulary[q]));
                Assert.Equal(
                    reference.Search(text, run.top).Select(r => (r.ChunkId, r.Score, r.RerankScore)),
                    loaded.Search(text, run.top).Select(r => (r.ChunkId, r.Score, r.RerankScore)));
            }

            Assert.Equal(reference.ChunkCount, loaded.ChunkCount);
        }));
    }

    private static IEnumerable<(string Id, IReadOnlyList<DocumentChunk> Chunks)> Documents(int count, int[] words) =>
        Enumerable.Range(0, count).Select(d => ($"doc{d}", (IReadOnlyList<DocumentChunk>)Chunks(d, words)));

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
