using System.Text.Json;
using DocServer.Core.Gates;

namespace DocServer.Durable.Gates;

/// <summary>
/// The gates as Durable entities, seen from outside an orchestration: a command is a signal, and its answer is
/// read back from the entity's state under a reply id (a client cannot call an entity). Reading polls quickly at
/// first (the entity usually answers within a queue poll) and backs off to <see cref="EntityGateStoreOptions.MaxReadInterval"/>.
/// </summary>
public sealed class EntityGateStore(IDurableWork durable, TimeProvider time, EntityGateStoreOptions? options = null) : IGateStore
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
    private readonly EntityGateStoreOptions _options = options ?? new EntityGateStoreOptions();

    /// <summary>
    /// Every waiter and every answer of this process reads the gate's state through one read at a time per gate. A read
    /// is not cancelled by any one caller (others may share it); the hub client's own network timeout bounds it.
    /// </summary>
    private readonly SharedReads<string?> _reads = new(gate => durable.ReadEntityStateAsync(GateEntity.Name, gate, CancellationToken.None));

    public async Task<GateStoreReply<TResult>> ApplyAsync<TResult>(string gate, GateCommand<TResult> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var replyId = Guid.NewGuid().ToString("N");
        await durable.SignalEntityAsync(GateEntity.Name, gate, GateEntity.ApplyOperation, new GateCall(GateCommand.Serialize(command), replyId), cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var interval = _options.FirstReadInterval;
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            var state = await ReadEntityAsync(gate, cancellationToken).ConfigureAwait(false);
            if (state?.Replies.GetValueOrDefault(GateEntity.ReplyKey(command, replyId)) is { } reply && reply.Id == replyId)
            {
                return new GateStoreReply<TResult>(command.ReadResult(reply.Result), GateStateJson.Deserialize(state.Gate, gate), []);
            }

            if (time.GetElapsedTime(started) > _options.ReplyTimeout)
            {
                throw new TimeoutException($"Gate '{gate}' did not answer a {command.GetType().Name} within {_options.ReplyTimeout.TotalSeconds:0} s: the task hub is not processing its entity (no worker running, or storage unreachable).");
            }

            interval = interval * 2 < _options.MaxReadInterval ? interval * 2 : _options.MaxReadInterval;
        }
    }

    public Task SendAsync(string gate, GateCommand command, CancellationToken cancellationToken) =>
        durable.SignalEntityAsync(GateEntity.Name, gate, GateEntity.ApplyOperation, new GateCall(GateCommand.Serialize(command), null), cancellationToken);

    public async Task<GateState> ReadAsync(string gate, CancellationToken cancellationToken) =>
        GateStateJson.Deserialize((await ReadEntityAsync(gate, cancellationToken).ConfigureAwait(false))?.Gate, gate);

    private async Task<GateEntityState?> ReadEntityAsync(string gate, CancellationToken cancellationToken)
    {
        var json = await _reads.ReadAsync(gate, cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<GateEntityState>(json, StateJson);
        }
        catch (JsonException ex)
        {
            throw new GateStateException($"Gate '{gate}': the entity's state is not gate state JSON ({ex.Message}). It was left untouched.", ex);
        }
    }
}
