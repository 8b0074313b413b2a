using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

public sealed class GateStateJsonTests
{
    [Fact]
    public void Serialize_ThenDeserialize_GivesTheSameState()
    {
        var gate = new GateScenario();
        gate.Acquire("holder", GatePriority.Foreground, owner: "한국어-owner");
        gate.Acquire("bg");
        gate.Advance(TimeSpan.FromSeconds(1));
        gate.Acquire("fg", GatePriority.Foreground);

        var json = GateStateJson.Serialize(gate.State);
        var back = GateStateJson.Deserialize(json, "test");

        Assert.Equal(json, GateStateJson.Serialize(back));
        Assert.Equal(gate.State.Holders.AsEnumerable(), back.Holders.AsEnumerable());
        Assert.Equal(gate.State.Waiters.AsEnumerable(), back.Waiters.AsEnumerable());
        Assert.Equal(gate.State.Counters, back.Counters);
        Assert.Contains("\"v\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_ClaimedLease_KeepsItsClaimant_AndAnUnclaimedOneWritesNone()
    {
        var gate = new GateScenario();
        var lease = gate.Acquire("turn").Lease!;
        var claimed = gate.State with { Holders = [lease with { ClaimedBy = "run-1" }] };

        var json = GateStateJson.Serialize(claimed);

        Assert.Equal("run-1", GateStateJson.Deserialize(json, "test").Holders.Single().ClaimedBy);
        gate.AcquireToClaim("queued", TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), GateStateJson.Deserialize(GateStateJson.Serialize(gate.State), "test").Waiters.Single().ClaimWithin);
        Assert.DoesNotContain("claimedBy", GateStateJson.Serialize(gate.State), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_FullQueueWithLongestIdsAndOwners_FitsOneTableProperty()
    {
        var policy = new GatePolicy { MaxWaiters = 150 };
        var gate = new GateScenario(policy);
        var owner = new string('o', GateMachine.MaxOwnerLength);
        for (var i = 0; i <= policy.MaxWaiters; i++)
        {
            gate.Acquire($"{i:D4}".PadLeft(GateMachine.MaxIdLength, 'f'), GatePriority.Background, owner);
        }

        Assert.Equal(policy.MaxWaiters, gate.State.Waiters.Length);
        Assert.True(GateStateJson.Serialize(gate.State).Length <= GateStateJson.MaxLength);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Deserialize_NoRow_IsTheEmptyGate(string? json) =>
        Assert.Same(GateState.Empty, GateStateJson.Deserialize(json, "test"));

    [Fact]
    public void Deserialize_NewerSchemaVersion_RefusesAndSaysToUpgrade()
    {
        var newer = GateStateJson.Serialize(GateState.Empty).Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal);

        var error = Assert.Throws<GateStateException>(() => GateStateJson.Deserialize(newer, "macmini"));

        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
        Assert.Contains("macmini", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"foo\":1}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"v\":1,\"holders\":[],\"waiters\":[]}")]
    [InlineData("{\"v\":1,\"holders\":[{\"id\":\"a\",\"owner\":\"o\",\"p\":7,\"token\":1,\"enq\":0,\"granted\":0,\"expires\":0}],\"waiters\":[],\"nextSeq\":1,\"nextToken\":2,\"counters\":{\"grants\":0,\"releases\":0,\"expiries\":0,\"dropped\":0,\"cancels\":0}}")]
    [InlineData("{\"v\":1,\"holders\":[{\"id\":\"a\",\"owner\":\"o\",\"p\":1,\"token\":5,\"enq\":0,\"granted\":0,\"expires\":0}],\"waiters\":[],\"nextSeq\":1,\"nextToken\":2,\"counters\":{\"grants\":0,\"releases\":0,\"expiries\":0,\"dropped\":0,\"cancels\":0}}")]
    [InlineData("{\"v\":1,\"holders\":[],\"waiters\":[{\"id\":\"a\",\"owner\":\"o\",\"p\":0,\"seq\":1,\"enq\":0,\"seen\":0},{\"id\":\"a\",\"owner\":\"o\",\"p\":0,\"seq\":2,\"enq\":0,\"seen\":0}],\"nextSeq\":3,\"nextToken\":1,\"counters\":{\"grants\":0,\"releases\":0,\"expiries\":0,\"dropped\":0,\"cancels\":0}}")]
    public void Deserialize_MalformedOrForeignRow_IsAClearError(string json)
    {
        var error = Assert.Throws<GateStateException>(() => GateStateJson.Deserialize(json, "macmini"));

        Assert.Contains("left untouched", error.Message, StringComparison.Ordinal);
    }
}
