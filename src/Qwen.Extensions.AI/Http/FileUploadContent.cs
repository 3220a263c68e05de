using System.Net.Http.Headers;

namespace Qwen.Extensions.AI.Http;

/// <summary>
/// The <c>multipart/form-data</c> body of an upload (dashscope-more.md §7.1): a <c>purpose</c> field, then the <c>file</c> field with
/// its file name and media type, streamed from the caller's stream without buffering it. Field names are quoted (RFC 7578); the
/// file name goes as UTF-8 with <c>"</c>, CR and LF percent-encoded, as browsers send it. A seekable stream is rewound to where it
/// started on every attempt, so a retry sends the same bytes; the caller's stream is never disposed.
/// </summary>
internal sealed class FileUploadContent : HttpContent
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly Stream _file;
    private readonly long _start;
    private readonly long? _length;

    /// <param name="boundary">The multipart boundary (<see cref="NewBoundary"/>).</param>
    /// <param name="purpose">The <c>purpose</c> field.</param>
    /// <param name="file">The caller's stream.</param>
    /// <param name="start">Where the file starts in a seekable <paramref name="file"/>: its position when the upload was called, taken once for every attempt.</param>
    /// <param name="fileName">The file name.</param>
    /// <param name="mediaType">The part's media type.</param>
    public FileUploadContent(string boundary, string purpose, Stream file, long start, string fileName, string mediaType)
    {
        _file = file;
        _start = start;
        _length = file.CanSeek ? file.Length - start : null;
        _head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\n" +
            $"Content-Disposition: form-data; name=\"{FileParameters.PurposeField}\"\r\n" +
            "\r\n" +
            $"{purpose}\r\n" +
            $"--{boundary}\r\n" +
            $"Content-Disposition: form-data; name=\"{FileParameters.FileField}\"; filename=\"{EscapeFileName(fileName)}\"\r\n" +
            $"Content-Type: {mediaType}\r\n" +
            "\r\n");
        _tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        Headers.ContentType.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
    }

    /// <summary>A fresh boundary: 32 hex digits after a prefix no file content is likely to hold.</summary>
    public static string NewBoundary() => "----QwenFormBoundary" + Guid.NewGuid().ToString("N");

    /// <summary>RFC 7578 §4.2 / WHATWG form encoding: <c>"</c>, CR and LF percent-encoded; everything else as UTF-8.</summary>
    internal static string EscapeFileName(string fileName) =>
        fileName.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_file.CanSeek)
        {
            _file.Position = _start;
        }

        await stream.WriteAsync(_head, cancellationToken).ConfigureAwait(false);
        await _file.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_tail, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length is { } fileLength ? _head.Length + fileLength + _tail.Length : 0;
        return _length is not null;
    }
}
