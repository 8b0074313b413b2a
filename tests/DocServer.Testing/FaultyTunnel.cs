using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DocServer.Testing;

/// <summary>
/// A TCP forwarder on 127.0.0.1 standing in for the tunnel to the Mac: it passes connections through to a
/// target, or refuses them (nothing listens: the Mac sleeps, the relay listener is gone), or takes them and
/// never answers (a black hole: a dead host behind a live tunnel, where connects time out rather than fail).
/// </summary>
public sealed class FaultyTunnel : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private volatile bool _blackHole;

    private FaultyTunnel(IPEndPoint target, int port)
    {
        _target = target;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The OpenAI-compatible base URL through the tunnel.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1/");

    public static FaultyTunnel Start(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var tunnel = new FaultyTunnel(new IPEndPoint(IPAddress.Loopback, target.Port), LoopbackPorts.Free());
        tunnel.Pass();
        return tunnel;
    }

    /// <summary>Connections go through to the target.</summary>
    public void Pass()
    {
        _blackHole = false;
        Listen();
    }

    /// <summary>Connections are taken and held, and nothing ever comes back.</summary>
    public void BlackHole()
    {
        _blackHole = true;
        Listen();
    }

    /// <summary>Nothing listens: connecting is refused; open connections are cut.</summary>
    public void Refuse()
    {
        _listener?.Stop();
        _listener = null;
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Refuse();
        await _stop.CancelAsync();
        _stop.Dispose();
    }

    private void Listen()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // stopped listening
            }

            _connections.Add(client);
            if (!_blackHole)
            {
                _ = ForwardAsync(client);
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            _connections.Add(upstream);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away (or the tunnel was cut): so does the other.
        }
        finally
        {
            client.Dispose();
        }
    }
}
