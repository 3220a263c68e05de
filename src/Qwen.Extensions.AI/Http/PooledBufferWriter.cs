namespace Qwen.Extensions.AI.Http;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over <see cref="ArrayPool{T}"/> arrays, so request and answer bodies need no fresh byte[] per
/// call. For a response body (<c>poolLargeBuffers: false</c>), arrays above <see cref="MaxPooledBytes"/> are allocated and left
/// to the GC instead: a large (or hostile) answer must not stay pinned in the shared pool after it was refused or parsed. Request
/// bodies (the caller's own data, such as a large image) keep pooling every size.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>The largest array taken from and handed back to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public const int MaxPooledBytes = 1024 * 1024;

    private readonly bool _poolLargeBuffers;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096, bool poolLargeBuffers = true)
    {
        _poolLargeBuffers = poolLargeBuffers;
        _buffer = Rent(initialCapacity);
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Makes room for at least <paramref name="bytes"/> more bytes in one step (no-op when they already fit).</summary>
    public void Reserve(int bytes)
    {
        if (bytes > 0)
        {
            Ensure(bytes);
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var needed = checked(_written + sizeHint);
        var next = Rent((int)Math.Min(Math.Max(needed, 2L * _buffer.Length), Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(next);
        Return(_buffer);
        _buffer = next;
    }

    private byte[] Rent(int size) =>
        _poolLargeBuffers || size <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private void Return(byte[] buffer)
    {
        if (buffer.Length > 0 && (_poolLargeBuffers || buffer.Length <= MaxPooledBytes))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
