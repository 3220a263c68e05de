namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>What a <see cref="ScriptedStream"/> does once its bytes are served.</summary>
public enum StreamEnd
{
    /// <summary>Ends normally.</summary>
    Close,

    /// <summary>Waits until the read is cancelled (a silent server).</summary>
    Hang,

    /// <summary>Throws an <see cref="IOException"/> (a cut connection).</summary>
    Reset,
}

/// <summary>A response body served in chunks (one per read), then closed, hung or reset; records whether it was disposed.</summary>
public sealed class ScriptedStream : Stream
{
    private readonly Queue<byte[]> _chunks;
    private readonly StreamEnd _end;
    private byte[]? _current;
    private int _offset;

    public ScriptedStream(byte[] data, StreamEnd end = StreamEnd.Close)
        : this([data], end)
    {
    }

    public ScriptedStream(IEnumerable<byte[]> chunks, StreamEnd end = StreamEnd.Close)
    {
        _chunks = new Queue<byte[]>(chunks);
        _end = end;
    }

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        while (_current is null || _offset == _current.Length)
        {
            if (!_chunks.TryDequeue(out _current))
            {
                switch (_end)
                {
                    case StreamEnd.Hang:
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                        break;
                    case StreamEnd.Reset:
                        throw new IOException("Connection reset by peer (scripted).");
                }

                return 0;
            }

            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
