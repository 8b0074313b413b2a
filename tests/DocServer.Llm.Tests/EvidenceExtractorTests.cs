using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Testing;
using Microsoft.Extensions.Logging;

namespace DocServer.Llm.Tests;

/// <summary>Every rule and every skip reason, end to end through the gate and a real HTTP server.</summary>
public sealed class EvidenceExtractorTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task E1_NoResults_IsEmptyRetrievalAndAsksNoModel()
    {
        await using var bed = await ExtractionBed.StartAsync();

        var result = await bed.Extractor.ExtractAsync("anything", [], null, CancellationToken.None);

        Assert.Equal(EvidenceSkipReasons.EmptyRetrieval, result.SkipReason);
        Assert.Empty(result.Items);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task E2_EveryResultBelowTheCut_IsAllLowRerankAndAsksNoModel()
    {
        await using var bed = await ExtractionBed.StartAsync();
        var low = EvidenceFixtures.KoreanResults().Select(r => r with { RerankScore = 0.24, Score = 0.9 }).ToList();

        var result = await bed.Extractor.ExtractAsync(EvidenceFixtures.KoreanQuestion, low, null, CancellationToken.None);

        Assert.Equal(EvidenceSkipReasons.AllLowRerank, result.SkipReason);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task E3_FastPath_IsOffByDefaultAndWhenOnSkipsTheModelForAStrongTopResult()
    {
        Assert.Null(new EvidenceOptions().FastPathThreshold);
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { FastPathThreshold = 0.9 });

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.FastPath, result.SkipReason);
        Assert.All(result.Items, i => Assert.Equal(EvidenceSource.RuleFallback, i.Source));
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task E4_PromptMissing_FallsBackToRulesWithLlmErrorReason()
    {
        await using var bed = await ExtractionBed.StartAsync(withPrompt: false);

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.LlmError, result.SkipReason);
        Assert.NotEmpty(result.Items);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task E5_E6_OneBatchedCallThroughTheGate_SendsEachCandidatesQueryCentredWindow()
    {
        // E5: the model sees windows, not chunks. E6: exactly one call, and it passed the gate.
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.KoreanProcedureSentence, 0.95))));

        var result = await bed.KoreanAsync();

        var request = Assert.Single(bed.Server.Requests);
        Assert.True(request.Stream, "the reply is streamed, so a timeout stops the host's generation");
        Assert.Equal("gemma-test", request.Model);
        Assert.Equal(bed.Options.MaxReplyTokens, request.MaxTokens);
        Assert.Contains(EvidenceFixtures.KoreanQuestion, request.Prompt, StringComparison.Ordinal);
        Assert.Equal(result.Stats.Candidates, Enumerable.Range(1, 6).Count(n => request.Prompt.Contains($"[{n}] title:", StringComparison.Ordinal)));
        Assert.DoesNotContain(EvidenceFixtures.KoreanLeaveRule, request.Prompt, StringComparison.Ordinal);
        var state = await bed.GateStateAsync();
        Assert.Equal(1, state.Counters.Grants);
        Assert.Equal(1, state.Counters.Releases);
        Assert.Empty(state.Holders);
    }

    [Fact]
    public async Task E7_ModelHangsPastTheTimeout_FallsBackToRulesAndFreesTheGate()
    {
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { Deadlines = new EvidenceOptions().Deadlines with { Total = Short } });
        bed.Server.Enqueue(MlxReply.Hang());

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.LlmTimeout, result.SkipReason);
        Assert.NotEmpty(result.Items);
        Assert.All(result.Items, i => Assert.Equal(EvidenceSource.RuleFallback, i.Source));
        Assert.Empty((await bed.GateStateAsync()).Holders);
    }

    [Fact]
    public async Task E7_TimeoutMidReply_ClosesTheStreamSoTheHostIsFreeForTheNextCaller()
    {
        // 1 s: the slow reply takes 5 s, the quick one must fit even on a loaded machine.
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { Deadlines = new EvidenceOptions().Deadlines with { Total = TimeSpan.FromSeconds(1) } });
        bed.Server.Enqueue(
            MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.KoreanProcedureSentence, 0.9)), TimeSpan.FromSeconds(5)),
            MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.KoreanProcedureSentence, 0.9))));

        var timedOut = await bed.KoreanAsync();
        // The host learns of the closed stream a moment later (its socket's end), not at the client's cancel: a
        // call made in that moment would find it still busy. Within 2 s it must know, long before the 5 s reply ends.
        for (var i = 0; i < 200 && bed.Server.Abandoned == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, bed.Server.Abandoned);
        var next = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.LlmTimeout, timedOut.SkipReason);
        Assert.DoesNotContain("fallback", next.SkipReason ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0, bed.Server.Violations);
    }

    [Fact]
    public async Task Control_NonStreamedRequestAbandonedByItsClient_KeepsTheHostBusy()
    {
        // Why the client streams: an abandoned non-streamed request still occupies the host.
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.ReplyWith(_ => MlxReply.Text("{}", TimeSpan.FromSeconds(1)));
        using var http = new HttpClient { BaseAddress = bed.Server.BaseUrl };
        static StringContent Body() => new("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"p\"}]}", System.Text.Encoding.UTF8, "application/json");
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync("chat/completions", Body(), giveUp.Token));
        }

        var second = await http.PostAsync("chat/completions", Body());

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(1, bed.Server.Violations);
    }

    [Fact]
    public async Task E7_ServerError_FallsBackWithLlmErrorReason()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Status(500));

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.LlmError, result.SkipReason);
        Assert.Contains(bed.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task E7_ConnectionRefused_FallsBackWithLlmErrorReason()
    {
        await using var bed = await ExtractionBed.StartAsync(url: ScriptedMlxServer.RefusedUrl());

        var result = await bed.EnglishAsync();

        Assert.Equal(EvidenceSkipReasons.LlmError, result.SkipReason);
        Assert.NotEmpty(result.Items);
    }

    [Fact]
    public async Task E8_GarbageReply_IsParseFailedWithRuleSpans()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text("Sure! The answer is in passage 1, about three days before."));

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.ParseFailed, result.SkipReason);
        Assert.All(result.Items, i => Assert.Equal(EvidenceSource.RuleFallback, i.Source));
    }

    [Fact]
    public async Task E8_FencedJsonAfterThinking_IsAccepted()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text($"<think>passage 1 has it</think>\n```json\n{ExtractionBed.Reply((1, EvidenceFixtures.EnglishNoticeSentence, 0.9))}\n```"));

        var result = await bed.EnglishAsync();

        Assert.Null(result.SkipReason);
        Assert.Equal(EvidenceFixtures.EnglishNoticeSentence, Assert.Single(result.Items).Span);
    }

    [Fact]
    public async Task E9_E11_ModelKeepsNothingUsable_IsAllLlmRejected()
    {
        // E9 rejects every item (low relevance, unknown n, empty span); E11 then falls back to rules.
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.EnglishNoticeSentence, 0.3), (7, EvidenceFixtures.EnglishNoticeSentence, 0.9), (2, "", 0.9))));

        var result = await bed.EnglishAsync();

        Assert.Equal(EvidenceSkipReasons.AllLlmRejected, result.SkipReason);
        Assert.All(result.Items, i => Assert.Equal(EvidenceSource.RuleFallback, i.Source));
    }

    [Fact]
    public async Task E12_ModelKeepsOne_IsSupplementedToThreeFromCandidatesWithCriticalTokens()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.KoreanProcedureSentence, 0.95))));

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.SparseSupplemented, result.SkipReason);
        Assert.Equal(3, result.Items.Count);
        Assert.Equal(2, result.Stats.Supplemented);
        Assert.Equal(EvidenceSource.Llm, result.Items[0].Source);
        Assert.Equal([1, 2, 3], result.Items.Select(i => i.N));
    }

    [Fact]
    public async Task E13_E15_E18_ItemsAreOrderedCarryTheirWindowAndAreExactSubstringsOfTheirChunks()
    {
        // E13 order by document then relevance; E15 the full window travels with each item; E18 offsets.
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply(
            (3, "휴가 신청 절차를 따르지 아니하고 무단으로 결근한 직원에 대하여는 징계위원회의 의결을 거쳐 견책, 감봉, 정직의 징계를 할 수 있다.", 0.7),
            (1, EvidenceFixtures.KoreanProcedureSentence, 0.95),
            (2, "4. \"연차휴가 미사용 수당\"이란 직원이 사용하지 아니한 연차휴가 일수에 대하여 통상임금을 기준으로 계산하여 지급하는 수당을 말한다.", 0.6))));

        var result = await bed.KoreanAsync();

        var chunks = EvidenceFixtures.KoreanResults().ToDictionary(r => r.ChunkId!, r => r.Text);
        Assert.Equal(["rules", "rules", "penalty"], result.Items.Select(i => i.DocId));
        Assert.Equal([0.95, 0.6, 0.7], result.Items.Select(i => i.Relevance));
        Assert.All(result.Items, item =>
        {
            Assert.Equal(item.Span, chunks[item.ChunkId!][item.Start..item.End]);
            Assert.Contains(item.Span, item.FullWindow, StringComparison.Ordinal);
            Assert.True(item.FullWindow.Length > item.Span.Length);
        });
        Assert.Equal(3, result.Stats.Exact);
    }

    [Fact]
    public async Task E18_EditedSpanIsSnappedAndInventedSpanDropped()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply(
            (1, "either party can end this tenancy after the fixed term by giving the other at least 2 months notice in writing", 0.9),
            (1, "The tenant may leave at any time without paying any further rent whatsoever.", 0.8))));

        var result = await bed.EnglishAsync();

        Assert.Equal(1, result.Stats.Snapped);
        Assert.Equal(1, result.Stats.Dropped);
        var item = Assert.Single(result.Items, i => i.Source == EvidenceSource.Llm);
        Assert.Equal(item.Span, EvidenceFixtures.EnglishTenancy[item.Start..item.End]);
        Assert.Contains("two months' notice", item.Span, StringComparison.Ordinal);
    }

    [Fact]
    public async Task E16_EveryOutcomeIsLoggedWithQueryCountsAndElapsed()
    {
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.EnglishNoticeSentence, 0.9))), MlxReply.Text("garbage"));

        await bed.EnglishAsync();
        await bed.EnglishAsync();
        await bed.Extractor.ExtractAsync(new string('q', 200), [], null, CancellationToken.None);

        var lines = bed.Log.Entries.Select(e => e.Message).ToList();
        Assert.Contains(lines, l => l.StartsWith("evidence ok", StringComparison.Ordinal) && l.Contains("candidates=2 kept=1", StringComparison.Ordinal) && l.Contains("elapsed_ms=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("reason=parse_failed_fallback_rule", StringComparison.Ordinal) && l.Contains("query=What is the notice", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("reason=empty_retrieval", StringComparison.Ordinal) && l.Contains($"query={new string('q', 80)} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task E17_GateBusyPastTheWaitBudget_FallsBackWithoutCallingTheModel()
    {
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { GateWaitBudget = Short });
        await using var held = (await bed.Gates.AcquireAsync(ExtractionBed.Endpoint, GatePriority.Background, TimeSpan.FromSeconds(5), CancellationToken.None)).Lease!;

        var result = await bed.KoreanAsync();

        Assert.Equal(EvidenceSkipReasons.GateWaitBudget, result.SkipReason);
        Assert.True(result.Stats.GateWaitMs >= Short.TotalMilliseconds);
        Assert.Empty(bed.Server.Requests);
        Assert.Empty((await bed.GateStateAsync()).Waiters);
    }

    [Fact]
    public async Task G2_WaitingLongerThanTheLlmTimeout_StillGetsTheModelsAnswer()
    {
        var llmTimeout = TimeSpan.FromSeconds(1);
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { Deadlines = new EvidenceOptions().Deadlines with { Total = llmTimeout }, GateWaitBudget = TimeSpan.FromSeconds(10) });
        bed.Server.Enqueue(MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.EnglishNoticeSentence, 0.9))));
        var held = (await bed.Gates.AcquireAsync(ExtractionBed.Endpoint, GatePriority.Background, TimeSpan.FromSeconds(5), CancellationToken.None)).Lease!;

        var extraction = bed.EnglishAsync();
        await Task.Delay(llmTimeout * 2);
        await held.DisposeAsync();
        var result = await extraction;

        Assert.Null(result.SkipReason);
        Assert.True(result.Stats.GateWaitMs > llmTimeout.TotalMilliseconds);
    }

    [Fact]
    public async Task TwentyConcurrentExtractions_OneSingleInferenceServer_ZeroViolations()
    {
        await using var bed = await ExtractionBed.StartAsync(new EvidenceOptions { GateWaitBudget = TimeSpan.FromMinutes(1) });
        bed.Server.ReplyWith(_ => MlxReply.Text(ExtractionBed.Reply((1, EvidenceFixtures.EnglishNoticeSentence, 0.9)), TimeSpan.FromMilliseconds(20)));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(bed.EnglishAsync)));

        Assert.Equal(0, bed.Server.Violations);
        Assert.Equal(1, bed.Server.MostAtOnce);
        Assert.Equal(20, bed.Server.Requests.Count);
        Assert.All(results, r => Assert.Null(r.SkipReason));
    }

    [Fact]
    public async Task Control_TwentyConcurrentCallsWithoutTheGate_AreCaughtAsViolations()
    {
        // Proves the server detects what the gate prevents: the previous test could not pass by accident.
        await using var bed = await ExtractionBed.StartAsync();
        bed.Server.ReplyWith(_ => MlxReply.Text("{}", TimeSpan.FromMilliseconds(100)));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                await bed.Model.CompleteAsync(new("p", 10), CancellationToken.None);
            }
            catch (System.ClientModel.ClientResultException ex) when (ex.Status == 503)
            {
                // Expected for all but one: the server refuses a second inference.
            }
        })));

        Assert.True(bed.Server.Violations > 0);
    }
}
