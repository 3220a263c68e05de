using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using static Qwen.Extensions.AI.TestUtilities.TestClient;

namespace Qwen.Extensions.AI.Tests;

/// <summary>
/// <see cref="QwenFileClient"/> over the fake handler: the exact multipart bytes of an upload, the captured file object, list and
/// delete shapes (shared/docs/dashscope-more.md §7.1), paging, validation before sending, retries, error mapping and key redaction.
/// </summary>
public sealed class QwenFileClientTests
{
    private const string Files = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/files";

    /// <summary>The captured upload answer of §7.1.</summary>
    private const string CapturedUpload =
        """{"id":"file-fe-5d5eb068893f4b5e8551ada4","object":"file","bytes":7,"filename":"test2.txt","purpose":"file-extract","status":"processed","created_at":1764499365}""";

    /// <summary>The captured retrieve answer of §7.1.</summary>
    private const string CapturedRetrieve =
        """{"id":"file-fe-d5c0ea9110bd47afb0505f43","object":"file","bytes":1314,"filename":"file1.txt","purpose":"file-extract","status":"processed","created_at":1761480070}""";

    /// <summary>The captured list answer of §7.1.</summary>
    private const string CapturedList =
        """{"object":"list","data":[{"id":"file-fe-d5c0ea9110bd47afb0505f43","object":"file","bytes":1314,"filename":"file1.txt","purpose":"file-extract","status":"processed","created_at":1761480070}],"has_more":false}""";

    /// <summary>The captured delete answer of §7.1.</summary>
    private const string CapturedDelete = """{"id":"file-fe-d5c0ea9110bd47afb0505f43","object":"file","deleted":true}""";

    [Fact]
    public async Task UploadSendsTheDocumentedMultipartBytesAndReadsTheCapturedFileObject()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedUpload));
        using var client = Create(handler);

        var file = await client.UploadAsync(new MemoryStream("测试 abc"u8.ToArray()), fileName: "test2.txt");

        var request = handler.SingleRequest;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Files, request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + ApiKey, request.Header("Authorization"));
        var contentType = request.Header("Content-Type")!;
        Assert.StartsWith("multipart/form-data; boundary=", contentType, StringComparison.Ordinal);
        var boundary = contentType["multipart/form-data; boundary=".Length..].Trim('"');
        Assert.Matches("^----QwenFormBoundary[0-9a-f]{32}$", boundary);
        var expected =
            $"--{boundary}\r\n" +
            "Content-Disposition: form-data; name=\"purpose\"\r\n" +
            "\r\n" +
            "file-extract\r\n" +
            $"--{boundary}\r\n" +
            "Content-Disposition: form-data; name=\"file\"; filename=\"test2.txt\"\r\n" +
            "Content-Type: text/plain\r\n" +
            "\r\n" +
            "测试 abc\r\n" +
            $"--{boundary}--\r\n";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), request.Body);
        Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));

        Assert.Equal("file-fe-5d5eb068893f4b5e8551ada4", file.FileId);
        Assert.Equal("test2.txt", file.Name);
        Assert.Equal(7, file.SizeInBytes);
        Assert.Equal("file-extract", file.Purpose);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764499365), file.CreatedAt);
        Assert.Equal("text/plain", file.MediaType);
        Assert.Equal("processed", file.AdditionalProperties?[QwenFileClient.StatusPropertyName]);
    }

    [Fact]
    public async Task UploadSendsTheGivenMediaTypePurposeAndAnEscapedUtf8FileName()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedUpload));
        using var client = Create(handler);
        var stream = new MemoryStream("xxhello"u8.ToArray()) { Position = 2 };

        await client.UploadAsync(stream, "application/pdf", "季度\"报告\".PDF", new HostedFileClientOptions { Purpose = "file-extract" });

        var body = handler.SingleRequest.BodyText;
        Assert.Contains("Content-Disposition: form-data; name=\"file\"; filename=\"季度%22报告%22.PDF\"\r\nContent-Type: application/pdf\r\n\r\nhello\r\n", body, StringComparison.Ordinal);
        Assert.Equal(7, stream.Position);
    }

    [Fact]
    public async Task UploadTakesTheNameOfAFileStream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qwen-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(path, "# Title");
        try
        {
            var handler = new FakeHttpHandler(CannedResponse.Json(CapturedUpload));
            using var client = Create(handler);
            await using var stream = File.OpenRead(path);

            await client.UploadAsync(stream);

            Assert.Contains($"filename=\"{Path.GetFileName(path)}\"\r\nContent-Type: text/markdown\r\n", handler.SingleRequest.BodyText, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AnUnknownFormatIsRefusedWithTheAllowedListBeforeSending()
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.UploadAsync(new MemoryStream([1, 2, 3]), fileName: "slides.pptx"));

        Assert.Equal("fileName", ex.ParamName);
        Assert.Contains("txt, docx, pdf, xlsx, epub, mobi, md, csv, json, bmp, png, jpg, jpeg, gif", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task AnotherPurposeSkipsTheFormatCheck()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedUpload));
        using var client = Create(handler);

        await client.UploadAsync(new MemoryStream("{}"u8.ToArray()), fileName: "requests.jsonl", options: new HostedFileClientOptions { Purpose = "batch" });

        Assert.Contains("name=\"purpose\"\r\n\r\nbatch\r\n", handler.SingleRequest.BodyText, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/octet-stream\r\n", handler.SingleRequest.BodyText, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<QwenFileClient, Task>, string> InvalidUploads => new()
    {
        { "empty", c => c.UploadAsync(new MemoryStream(), fileName: "a.txt"), "is empty" },
        { "consumed", c => c.UploadAsync(new MemoryStream([1]) { Position = 1 }, fileName: "a.txt"), "is empty" },
        { "no name", c => c.UploadAsync(new MemoryStream([1])), "A file name is required" },
        { "blank name", c => c.UploadAsync(new MemoryStream([1]), fileName: " "), "A file name is required" },
        { "too large", c => c.UploadAsync(new LengthOnlyStream(150L * 1024 * 1024 + 1), fileName: "big.pdf"), "at most 150 MB per file" },
        { "image too large", c => c.UploadAsync(new LengthOnlyStream(20L * 1024 * 1024 + 1), fileName: "scan.PNG"), "at most 20 MB per image" },
        { "bad media type", c => c.UploadAsync(new MemoryStream([1]), "not a type", "a.txt"), "not a valid media type" },
        { "bad purpose", c => c.UploadAsync(new MemoryStream([1]), fileName: "a.txt", options: new HostedFileClientOptions { Purpose = "file-extract\r\nx" }), "is not a purpose name" },
    };

    [Theory]
    [MemberData(nameof(InvalidUploads))]
    public async Task AnInvalidUploadIsRefusedBeforeSending(string name, Func<QwenFileClient, Task> upload, string message)
    {
        var handler = new FakeHttpHandler();
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => upload(client));

        Assert.True(ex.Message.Contains(message, StringComparison.Ordinal), $"{name}: {ex.Message}");
        Assert.Equal(0, handler.RequestCount);
    }

    [Fact]
    public async Task AFileOfExactly150MegabytesIsSent()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedUpload));
        using var client = Create(handler);

        // Only the reported length counts for the check; the stand-in stream yields no bytes, so nothing large is produced.
        await client.UploadAsync(new LengthOnlyStream(150L * 1024 * 1024), fileName: "big.pdf");

        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task ASeekableUploadIsRetriedWithTheSameBytes()
    {
        var handler = new FakeHttpHandler();
        handler.ThenStatus(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"busy","type":"ServiceUnavailable"}}""");
        handler.Enqueue(CannedResponse.Json(CapturedUpload));
        using var client = new QwenFileClient(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 1, RetryBaseDelay = TimeSpan.Zero }, new HttpClient(handler));

        await client.UploadAsync(new MemoryStream("hello"u8.ToArray()), fileName: "a.txt");

        Assert.Equal(2, handler.RequestCount);
        var bodies = handler.Bodies;
        Assert.Equal(bodies[0][bodies[0].IndexOf("\r\n", StringComparison.Ordinal)..], bodies[1][bodies[1].IndexOf("\r\n", StringComparison.Ordinal)..].Replace(Boundary(handler.Requests[1]), Boundary(handler.Requests[0]), StringComparison.Ordinal));
        Assert.Contains("\r\n\r\nhello\r\n", bodies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForwardOnlyUploadIsSentOnceNotRetried()
    {
        var handler = new FakeHttpHandler();
        handler.ThenStatus(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"busy","type":"ServiceUnavailable"}}""");
        using var client = new QwenFileClient(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 2, RetryBaseDelay = TimeSpan.Zero }, new HttpClient(handler));

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.UploadAsync(new ForwardOnlyStream("hello"u8.ToArray()), fileName: "a.txt"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(1, handler.RequestCount);
        Assert.Contains("\r\n\r\nhello\r\n", handler.SingleRequest.BodyText, StringComparison.Ordinal);
        Assert.Null(handler.SingleRequest.Header("Content-Length"));
    }

    [Fact]
    public async Task GetFileInfoReadsTheCapturedRetrieveAnswer()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedRetrieve));
        using var client = Create(handler);

        var file = await client.GetFileInfoAsync("file-fe-d5c0ea9110bd47afb0505f43");

        Assert.Equal(HttpMethod.Get, handler.SingleRequest.Method);
        Assert.Equal(Files + "/file-fe-d5c0ea9110bd47afb0505f43", handler.SingleRequest.Uri.AbsoluteUri);
        Assert.Empty(handler.SingleRequest.Body);
        Assert.Equal("Bearer " + ApiKey, handler.SingleRequest.Header("Authorization"));
        Assert.NotNull(file);
        Assert.Equal("file1.txt", file.Name);
        Assert.Equal(1314, file.SizeInBytes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1761480070), file.CreatedAt);
    }

    [Fact]
    public async Task AnIdIsEscapedIntoThePath()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedRetrieve));
        using var client = Create(handler);

        await client.GetFileInfoAsync("../chat/completions?x=1");

        Assert.Equal(Files + "/..%2Fchat%2Fcompletions%3Fx%3D1", handler.SingleRequest.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AnUnknownFileIsNullOnGetAndFalseOnDelete()
    {
        const string NotFound = """{"error":{"message":"File not found: file-fe-nope","type":"invalid_request_error","param":null,"code":"invalid_file_id"},"request_id":"r-404"}""";
        var handler = new FakeHttpHandler(CannedResponse.Json(NotFound, HttpStatusCode.NotFound), CannedResponse.Json(NotFound, HttpStatusCode.NotFound));
        using var client = Create(handler);

        Assert.Null(await client.GetFileInfoAsync("file-fe-nope"));
        Assert.False(await client.DeleteAsync("file-fe-nope"));
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
    }

    [Fact]
    public async Task DeleteReadsTheCapturedAnswer()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedDelete));
        using var client = Create(handler);

        Assert.True(await client.DeleteAsync("file-fe-d5c0ea9110bd47afb0505f43"));

        Assert.Equal(HttpMethod.Delete, handler.SingleRequest.Method);
        Assert.Equal(Files + "/file-fe-d5c0ea9110bd47afb0505f43", handler.SingleRequest.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ListReadsTheCapturedAnswerAndSendsTheFilters()
    {
        var handler = new FakeHttpHandler(CannedResponse.Json(CapturedList));
        using var client = Create(handler);
        var options = new HostedFileClientOptions
        {
            Purpose = "file-extract",
            Limit = 3,
            AdditionalProperties = new()
            {
                ["after"] = "file-fe-e457d4773c3f4c9fbfadffaf",
                ["create_after"] = new DateOnly(2025, 1, 1),
                ["create_before"] = "20251101",
            },
        };

        var files = await ToListAsync(client.ListFilesAsync(options));

        Assert.Equal(
            Files + "?after=file-fe-e457d4773c3f4c9fbfadffaf&limit=3&create_after=20250101&create_before=20251101&purpose=file-extract",
            handler.SingleRequest.Uri.AbsoluteUri);
        var file = Assert.Single(files);
        Assert.Equal("file-fe-d5c0ea9110bd47afb0505f43", file.FileId);
        Assert.Equal("processed", file.AdditionalProperties?[QwenFileClient.StatusPropertyName]);
    }

    [Fact]
    public async Task ListPagesAfterTheLastIdAndStopsAtTheLimit()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Json(Page(true, "file-fe-1", "file-fe-2")),
            CannedResponse.Json(Page(true, "file-fe-3", "file-fe-4")));
        using var client = Create(handler);

        var files = await ToListAsync(client.ListFilesAsync(new HostedFileClientOptions { Limit = 3 }));

        Assert.Equal(["file-fe-1", "file-fe-2", "file-fe-3"], files.Select(f => f.FileId));
        Assert.Equal(Files + "?limit=3", handler.Requests[0].Uri.AbsoluteUri);
        Assert.Equal(Files + "?after=file-fe-2&limit=1", handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ListWithoutOptionsWalksEveryPageAndStopsAPageThatMakesNoProgress()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Json(Page(true, "file-fe-1")),
            CannedResponse.Json(Page(true)));
        using var client = Create(handler);

        var files = await ToListAsync(client.ListFilesAsync());

        Assert.Equal(["file-fe-1"], files.Select(f => f.FileId));
        Assert.Equal(Files, handler.Requests[0].Uri.AbsoluteUri);
        Assert.Equal(Files + "?after=file-fe-1", handler.Requests[1].Uri.AbsoluteUri);
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task DownloadReturnsTheContentBytes()
    {
        var handler = new FakeHttpHandler(new CannedResponse { Body = "line1\nline2"u8.ToArray(), ContentType = "application/octet-stream" });
        using var client = Create(handler);

        await using var stream = await client.DownloadAsync("file-batch_output-1");
        using var reader = new StreamReader(stream);

        Assert.Equal(Files + "/file-batch_output-1/content", handler.SingleRequest.Uri.AbsoluteUri);
        Assert.Equal("line1\nline2", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task ADownloadOverTheBodyCapIsRefusedNotBuffered()
    {
        var handler = new FakeHttpHandler(new CannedResponse { Body = new byte[4096], ContentType = "application/octet-stream" });
        using var client = new QwenFileClient(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0, MaxResponseBodyBytes = 1024 }, new HttpClient(handler));

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.DownloadAsync("file-fe-1"));

        Assert.Contains("MaxResponseBodyBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceErrorsAreTypedAndTheKeyIsRedacted()
    {
        var handler = new FakeHttpHandler(CannedResponse.Error(HttpStatusCode.BadRequest, "invalid_parameter_error", "invalid_request_error", $"Bad file for key {ApiKey}", "purpose"));
        using var client = Create(handler);

        var ex = await Assert.ThrowsAsync<QwenApiException>(() => client.UploadAsync(new MemoryStream([1]), fileName: "a.txt"));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("invalid_parameter_error", ex.ErrorCode);
        Assert.Equal("purpose", ex.Param);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorInsideA200AndAMalformedBodyAreQwenApiExceptions()
    {
        var handler = new FakeHttpHandler(
            CannedResponse.Json("""{"code":"InvalidParameter","message":"file is broken","request_id":"r-1"}"""),
            CannedResponse.Json("""{"object":"file","bytes":"""),
            CannedResponse.Json("""{"object":"list"}"""));
        using var client = Create(handler);

        var native = await Assert.ThrowsAsync<QwenApiException>(() => client.GetFileInfoAsync("file-fe-1"));
        var malformed = await Assert.ThrowsAsync<QwenApiException>(() => client.GetFileInfoAsync("file-fe-1"));
        var noData = await Assert.ThrowsAsync<QwenApiException>(() => ToListAsync(client.ListFilesAsync()));

        Assert.Equal("InvalidParameter", native.ErrorCode);
        Assert.Contains("file is broken", native.Message, StringComparison.Ordinal);
        Assert.Contains("malformed", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("'data'", noData.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABlankIdIsRefused()
    {
        using var client = Create(new FakeHttpHandler());

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetFileInfoAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(" "));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadAsync(string.Empty));
    }

    [Fact]
    public void MetadataNamesTheProviderAndEndpointButNotTheKey()
    {
        using var client = Create(new FakeHttpHandler());

        var metadata = client.GetService<HostedFileClientMetadata>();

        Assert.Equal("qwen", metadata?.ProviderName);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", metadata?.ProviderUri?.AbsoluteUri.TrimEnd('/'));
        Assert.Same(client, client.GetService<IHostedFileClient>());
        Assert.Null(client.GetService<IHostedFileClient>("key"));
        Assert.DoesNotContain(ApiKey, client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingKeyFailsAtConstruction()
    {
        var previous = Environment.GetEnvironmentVariable(QwenClientOptions.ApiKeyEnvironmentVariable);
        if (!string.IsNullOrEmpty(previous))
        {
            return; // A live key in the environment would be used; nothing to check.
        }

        Assert.Throws<InvalidOperationException>(() => new QwenFileClient(new QwenClientOptions()));
    }

    private static QwenFileClient Create(FakeHttpHandler handler) =>
        new(new QwenClientOptions { ApiKey = ApiKey, MaxRetries = 0 }, new HttpClient(handler));

    private static string Page(bool hasMore, params string[] ids) =>
        $$"""{"object":"list","data":[{{string.Join(",", ids.Select(id => $$"""{"id":"{{id}}","object":"file","bytes":1,"filename":"a.txt","purpose":"file-extract","status":"processed","created_at":1761480070}"""))}}],"has_more":{{(hasMore ? "true" : "false")}}}""";

    private static string Boundary(RecordedRequest request) => request.Header("Content-Type")!.Split("boundary=")[1].Trim('"');

    private static async Task<List<HostedFileContent>> ToListAsync(IAsyncEnumerable<HostedFileContent> files)
    {
        var list = new List<HostedFileContent>();
        await foreach (var file in files)
        {
            list.Add(file);
        }

        return list;
    }

    /// <summary>A seekable stream that reports a length but holds no bytes (the size check reads only the length).</summary>
    private sealed class LengthOnlyStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => Position = offset;

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that cannot seek (a network or pipe stream).</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
