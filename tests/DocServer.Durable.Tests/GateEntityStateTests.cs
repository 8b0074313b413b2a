using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Testing;
using Microsoft.DurableTask.Converters;

namespace DocServer.Durable.Tests;

/// <summary>The entity's state as the task hub stores it: its JSON parts kept as JSON, and state written before still read.</summary>
public sealed class GateEntityStateTests
{
    [Fact]
    public async Task SerializedState_KeepsTheGateAndItsAnswersAsJson_NoEscapedQuotes()
    {
        var gate = new EntityBatch(new GatePolicy(), new ManualTimeProvider());
        await gate.ApplyAsync(new AcquireCommand("a", "one", GatePriority.Foreground, null), replyId: "r1");

        Assert.DoesNotContain("\\\"", gate.SerializedState, StringComparison.Ordinal);
        Assert.Equal("one", gate.Gate_.Holders.Single().Owner);
        Assert.Equal(AcquireOutcome.Granted, new AcquireCommand("a", "one", GatePriority.Foreground, null).ReadResult(gate.State!.Replies["a"].Result).Outcome);
    }

    [Fact]
    public void Deserialize_StateWrittenWithJsonAsStrings_ReadsTheSameGateAndAnswers()
    {
        var gateJson = GateStateJson.Serialize(GateState.Empty);
        var old = JsonDataConverter.Default.Serialize(new Dictionary<string, object>
        {
            ["Gate"] = gateJson,
            ["Replies"] = new Dictionary<string, object> { ["r1"] = new { Result = "{\"outcome\":\"Granted\"}", At = DateTimeOffset.UnixEpoch } },
        });

        var state = JsonDataConverter.Default.Deserialize<GateEntityState>(old)!;

        Assert.Equal((gateJson, "{\"outcome\":\"Granted\"}"), (state.Gate, state.Replies["r1"].Result));
    }

    [Fact]
    public void Serialize_NewState_RoundTripsTheEmptyGate()
    {
        var state = JsonDataConverter.Default.Deserialize<GateEntityState>(JsonDataConverter.Default.Serialize(new GateEntityState()))!;

        Assert.Equal(string.Empty, state.Gate);
    }
}
