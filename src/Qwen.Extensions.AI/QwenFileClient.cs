using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;

namespace Qwen.Extensions.AI;

/// <summary>
/// An <see cref="IHostedFileClient"/> over DashScope's compatible-mode Files API (<c>{endpoint}/files</c>): upload documents for
/// <c>qwen-long</c> and <c>qwen-doc-turbo</c>, then reference them in a chat with <see cref="HostedFileContent"/>.
/// </summary>
/// <remarks>
/// <para>
/// Uploads go as <c>multipart/form-data</c> with <c>purpose=file-extract</c> (or <see cref="HostedFileClientOptions.Purpose"/>) and
/// come back as a <see cref="HostedFileContent"/> whose <see cref="HostedFileContent.FileId"/> (<c>file-fe-...</c>) a
/// <see cref="QwenChatClient"/> sends as the documented <c>fileid://</c> system message. For <c>file-extract</c> the file name must
/// end in one of the documented formats (txt, docx, pdf, xlsx, epub, mobi, md, csv, json, bmp, png, jpg, jpeg, gif), and a
/// stream whose length is known must hold 1 byte to 150 MB (images 20 MB); both are checked before anything is sent.
/// </para>
/// <para>
/// The service's <c>status</c> (<c>processed</c> once the document is parsed) is in
/// <c>AdditionalProperties[</c><see cref="StatusPropertyName"/><c>]</c>. <see cref="ListFilesAsync"/> pages through the list
/// (<c>after</c>, <c>limit</c>, <c>purpose</c>); <see cref="HostedFileClientOptions.Limit"/> caps the total, and
/// <c>AdditionalProperties</c> <c>"after"</c>, <c>"create_after"</c> and <c>"create_before"</c> (<c>yyyyMMdd</c>) pass through as
/// query parameters. <see cref="GetFileInfoAsync"/> answers <see langword="null"/> and <see cref="DeleteAsync"/>
/// <see langword="false"/> when the service answers 404.
/// </para>
/// <para>
/// Retries, timeouts (<see cref="QwenClientOptions.RequestTimeout"/> covers a whole upload), the response cap, key redaction and
/// typed errors (<see cref="QwenApiException"/>) are those of <see cref="QwenChatClient"/>. An upload from a stream that cannot seek
/// is sent once, never retried (its bytes cannot be read again). <see cref="IHostedFileClient"/> is experimental in
/// Microsoft.Extensions.AI (<c>MEAI001</c>), and so is this class: its members follow that interface if it changes.
/// </para>
/// </remarks>
[Experimental("MEAI001")]
public sealed class QwenFileClient : IHostedFileClient
{
    /// <summary>The purpose of documents for qwen-long and qwen-doc-turbo, used when <see cref="HostedFileClientOptions.Purpose"/> is not set.</summary>
    public const string FileExtractPurpose = FileParameters.FileExtract;

    /// <summary>The key of <see cref="AIContent.AdditionalProperties"/> that holds the file's <c>status</c>, such as <c>"processed"</c>.</summary>
    public const string StatusPropertyName = ResponseFields.Status;

    private const string ProviderName = "qwen";

    private readonly QwenHttpSender _sender;
    private readonly HostedFileClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="QwenFileClient"/> class.</summary>
    /// <param name="options">The endpoint and key (<see cref="QwenClientOptions.DefaultModelId"/> is not used).</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send with (never disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="InvalidOperationException">No API key is set and <c>DASHSCOPE_API_KEY</c> is empty.</exception>
    /// <exception cref="ArgumentException">The endpoint is relative, not http(s), or plain http to a remote host.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A retry or timeout setting is out of its range.</exception>
    public QwenFileClient(QwenClientOptions options, HttpClient? httpClient = null)
    {
        Throw.IfNull(options);
        var apiKey = options.ResolveValidApiKey();
        _sender = new QwenHttpSender(options, apiKey, httpClient, FileParameters.EndpointPath, typeof(QwenFileClient).FullName!);
        _metadata = new HostedFileClientMetadata(ProviderName, _sender.Endpoint);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The stream cannot be read or is empty; no file name is given (nor a <see cref="FileStream"/>'s); for <c>file-extract</c>, the
    /// extension is not a documented format or the file is larger than 150 MB (images 20 MB); or the media type is invalid.
    /// </exception>
    public async Task<HostedFileContent> UploadAsync(Stream content, string? mediaType = null, string? fileName = null, HostedFileClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(content);
        var purpose = ResolvePurpose(options);
        var (name, type) = ValidateUpload(content, mediaType, fileName, purpose);
        var boundary = FileUploadContent.NewBoundary();
        var start = content.CanSeek ? content.Position : 0;
        var request = new OutgoingRequest(
            HttpMethod.Post,
            _sender.RequestUri,
            Content: () => new FileUploadContent(boundary, purpose, content, start, name, type),
            Retryable: content.CanSeek);
        using var answer = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ToContent(ReadFile(answer));
    }

    /// <inheritdoc />
    public async Task<HostedFileDownloadStream> DownloadAsync(string fileId, HostedFileClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var uri = FileUri(fileId, FileParameters.ContentSegment);
        using var answer = await _sender.SendAsync(new OutgoingRequest(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        return new QwenFileDownloadStream(answer.Body.WrittenSpan.ToArray());
    }

    /// <inheritdoc />
    public async Task<HostedFileContent?> GetFileInfoAsync(string fileId, HostedFileClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var uri = FileUri(fileId, null);
        try
        {
            using var answer = await _sender.SendAsync(new OutgoingRequest(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
            return ToContent(ReadFile(answer));
        }
        catch (QwenApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HostedFileContent> ListFilesAsync(HostedFileClientOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var limit = options?.Limit;
        if (limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), limit, "HostedFileClientOptions.Limit must be positive, or null for every file.");
        }

        var after = Extra(options, FileParameters.After);
        var returned = 0;
        while (true)
        {
            var uri = ListUri(options, after, limit is { } l ? l - returned : null);
            FileObjectReader.FileList page;
            using (var answer = await _sender.SendAsync(new OutgoingRequest(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false))
            {
                page = ReadList(answer);
            }

            string? last = null;
            foreach (var file in page.Data)
            {
                if (returned >= limit)
                {
                    yield break;
                }

                yield return ToContent(file);
                returned++;
                last = file.Id;
            }

            // The next page starts after the last id; a page that makes no progress ends the walk rather than looping.
            if (!page.HasMore || returned >= limit || last is null || last == after)
            {
                yield break;
            }

            after = last;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string fileId, HostedFileClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var uri = FileUri(fileId, null);
        try
        {
            using var answer = await _sender.SendAsync(new OutgoingRequest(HttpMethod.Delete, uri), cancellationToken).ConfigureAwait(false);
            return ReadFile(answer, requireId: false).Deleted ?? true;
        }
        catch (QwenApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(HostedFileClientMetadata) ? _metadata :
            serviceType == typeof(HttpClient) ? _sender.HttpClient :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => _sender.Dispose();

    /// <summary>Returns a description of the client with its endpoint; never the API key.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"QwenFileClient({_sender.Endpoint})";

    private static string ResolvePurpose(HostedFileClientOptions? options)
    {
        var purpose = options?.Purpose ?? FileParameters.FileExtract;
        foreach (var c in purpose)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                throw new ArgumentException($"HostedFileClientOptions.Purpose '{purpose}' is not a purpose name; use '{FileParameters.FileExtract}' (documents for qwen-long / qwen-doc-turbo) or '{FileParameters.Batch}'.", nameof(options));
            }
        }

        return purpose.Length == 0
            ? throw new ArgumentException($"HostedFileClientOptions.Purpose is empty; leave it null for '{FileParameters.FileExtract}'.", nameof(options))
            : purpose;
    }

    /// <summary>Checks what can be checked before sending; returns the file name and media type to send.</summary>
    private static (string FileName, string MediaType) ValidateUpload(Stream content, string? mediaType, string? fileName, string purpose)
    {
        if (!content.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(content));
        }

        fileName ??= content is FileStream file ? Path.GetFileName(file.Name) : null;
        if (string.IsNullOrWhiteSpace(fileName))
        {
            throw new ArgumentException("A file name is required (the service reads the format from its extension), for example \"report.pdf\".", nameof(fileName));
        }

        var extension = Path.GetExtension(fileName);
        var isFileExtract = purpose == FileParameters.FileExtract;
        string? knownType = null;
        if (isFileExtract && !FileParameters.FileExtractFormats.TryGetValue(extension, out knownType))
        {
            throw new ArgumentException(
                $"'{fileName}' is not a format the service reads for '{FileParameters.FileExtract}'; the file name must end in one of: {FileParameters.FileExtractExtensionList} (case does not matter).",
                nameof(fileName));
        }

        if (content.CanSeek)
        {
            var length = content.Length - content.Position;
            if (length <= 0)
            {
                throw new ArgumentException($"The stream for '{fileName}' is empty (nothing left from its current position).", nameof(content));
            }

            var isImage = knownType?.StartsWith("image/", StringComparison.Ordinal) == true;
            var max = isImage ? FileParameters.MaxImageBytes : FileParameters.MaxFileBytes;
            if (isFileExtract && length > max)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"'{fileName}' has {length:N0} bytes; the service takes at most {max / (1024 * 1024)} MB per {(isImage ? "image" : "file")}."),
                    nameof(content));
            }
        }

        var type = mediaType ?? knownType ?? "application/octet-stream";
        if (!MediaTypeHeaderValue.TryParse(type, out var parsed) || parsed.MediaType is null || !parsed.MediaType.Contains('/', StringComparison.Ordinal) || type.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"'{type}' is not a valid media type.", nameof(mediaType));
        }

        return (fileName, type);
    }

    private Uri FileUri(string fileId, string? segment)
    {
        Throw.IfNull(fileId);
        if (string.IsNullOrWhiteSpace(fileId))
        {
            throw new ArgumentException("The file id is empty or whitespace.", nameof(fileId));
        }

        var path = _sender.RequestUri.AbsoluteUri + "/" + Uri.EscapeDataString(fileId);
        return new Uri(segment is null ? path : path + "/" + segment);
    }

    private Uri ListUri(HostedFileClientOptions? options, string? after, int? limit)
    {
        var query = new StringBuilder();
        Append(query, FileParameters.After, after);
        Append(query, FileParameters.Limit, limit?.ToString(CultureInfo.InvariantCulture));
        Append(query, FileParameters.CreateAfter, Extra(options, FileParameters.CreateAfter));
        Append(query, FileParameters.CreateBefore, Extra(options, FileParameters.CreateBefore));
        Append(query, FileParameters.PurposeField, options?.Purpose);
        return query.Length == 0 ? _sender.RequestUri : new Uri(_sender.RequestUri.AbsoluteUri + "?" + query);

        static void Append(StringBuilder query, string name, string? value)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    /// <summary>A list filter from <c>AdditionalProperties</c>: a string, or a date/number written as the service expects.</summary>
    private static string? Extra(HostedFileClientOptions? options, string name) =>
        options?.AdditionalProperties?.TryGetValue(name, out var value) != true || value is null ? null : value switch
        {
            string s => s,
            DateTime d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            DateTimeOffset d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"HostedFileClientOptions.AdditionalProperties[\"{name}\"] must be a string, a date or a number; got {value.GetType().Name}.", nameof(options)),
        };

    private FileObjectReader.FileObject ReadFile(CompletionBody answer, bool requireId = true)
    {
        var (body, status, requestId) = answer;
        FileObjectReader.FileObject file;
        try
        {
            file = FileObjectReader.ReadFile(NonEmpty(body, status, requestId));
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, _sender.ApiKey);
        }

        ThrowIfError(file.Error, file.NativeCode, file.NativeMessage, hasResult: file.Id is not null, status, requestId);
        if (requireId && string.IsNullOrEmpty(file.Id))
        {
            throw QwenErrors.Malformed("response body", new JsonException($"The file object has no '{ResponseFields.Id}'."), status, requestId, _sender.ApiKey);
        }

        return file;
    }

    private FileObjectReader.FileList ReadList(CompletionBody answer)
    {
        var (body, status, requestId) = answer;
        FileObjectReader.FileList list;
        try
        {
            list = FileObjectReader.ReadList(NonEmpty(body, status, requestId));
        }
        catch (Exception ex) when (QwenErrors.IsMalformedPayload(ex))
        {
            throw QwenErrors.Malformed("response body", ex, status, requestId, _sender.ApiKey);
        }

        ThrowIfError(list.Error, list.NativeCode, list.NativeMessage, list.HasData, status, requestId);
        if (!list.HasData)
        {
            throw QwenErrors.Malformed("response body", new JsonException($"The file list has no '{ResponseFields.Data}'."), status, requestId, _sender.ApiKey);
        }

        return list;
    }

    private static ReadOnlySpan<byte> NonEmpty(PooledBufferWriter body, HttpStatusCode status, string? requestId) =>
        body.WrittenSpan.IsEmpty ? throw QwenErrors.EmptyBody(status, requestId) : body.WrittenSpan;

    private void ThrowIfError(ErrorDetail? error, string? nativeCode, string? nativeMessage, bool hasResult, HttpStatusCode status, string? requestId)
    {
        if (error is not null)
        {
            throw QwenErrors.FromErrorDetail(error, status, requestId, _sender.ApiKey);
        }

        if (!hasResult && !string.IsNullOrEmpty(nativeCode))
        {
            throw QwenErrors.FromNativeError(nativeCode, nativeMessage, status, requestId, _sender.ApiKey);
        }
    }

    private static HostedFileContent ToContent(FileObjectReader.FileObject file)
    {
        var content = new HostedFileContent(file.Id!)
        {
            Name = file.FileName,
            SizeInBytes = file.Bytes,
            Purpose = file.Purpose,
            RawRepresentation = file,
        };

        if (file.CreatedAt is { } created and >= 0 and <= 253402300799)
        {
            content.CreatedAt = DateTimeOffset.FromUnixTimeSeconds(created);
        }

        if (file.FileName is { } name && FileParameters.FileExtractFormats.TryGetValue(Path.GetExtension(name), out var mediaType))
        {
            content.MediaType = mediaType;
        }

        if (file.Status is { } status)
        {
            (content.AdditionalProperties ??= [])[StatusPropertyName] = status;
        }

        return content;
    }

    /// <summary>The bytes of <c>GET files/{id}/content</c>, read whole under <see cref="QwenClientOptions.MaxResponseBodyBytes"/>.</summary>
    private sealed class QwenFileDownloadStream(byte[] bytes) : HostedFileDownloadStream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override long Length => _inner.Length;

        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
