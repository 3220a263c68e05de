using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Documents;

/// <summary>
/// Issue 14's "done when": a document uploads and is answered about through MEAI against the emulator, in two calls:
/// <see cref="IHostedFileClient.UploadAsync"/> on <see cref="QwenFileClient"/>, then a chat whose user message carries the
/// <see cref="HostedFileContent"/>, which <see cref="QwenChatClient"/> sends as the documented <c>fileid://</c> system message.
/// </summary>
public sealed class DocumentAnsweringTests : IAsyncLifetime
{
    private const string Handbook =
        "Employee handbook, 2026 edition.\n" +
        "New employees receive a laptop on their first day. The office cafeteria serves lunch from noon until two.\n" +
        "Annual leave is twenty-five days per year, and unused leave carries over until March.";

    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADocumentUploadsAndIsAnsweredAboutThroughMeai(bool streaming)
    {
        using IHostedFileClient files = _emulator.CreateFileClient();
        using IChatClient chat = _emulator.CreateChatClient("qwen-long");

        HostedFileContent document = await files.UploadAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Handbook)), "text/plain", "handbook.txt", cancellationToken: TestTimeout.Token);
        ChatMessage question = new(ChatRole.User, [document, new TextContent("How many days of annual leave do employees get?")]);
        var response = streaming
            ? await chat.GetStreamingResponseAsync([question], cancellationToken: TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token)
            : await chat.GetResponseAsync([question], cancellationToken: TestTimeout.Token);

        Assert.Equal("According to handbook.txt: \"Annual leave is twenty-five days per year, and unused leave carries over until March.\"", response.Text);
        var sent = _emulator.Requests.Last(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Json!.Value.GetProperty("messages");
        Assert.Equal("fileid://" + document.FileId, sent[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task TheAnswerDependsOnTheDocument()
    {
        using var files = _emulator.CreateFileClient();
        using var chat = _emulator.CreateChatClient("qwen-long");
        var handbook = await files.UploadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Handbook)), fileName: "handbook.txt", cancellationToken: TestTimeout.Token);
        var memo = await files.UploadAsync(new MemoryStream("Memo: the cafeteria is closed for renovation until June."u8.ToArray()), fileName: "memo.md", cancellationToken: TestTimeout.Token);

        var fromHandbook = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, [handbook, new TextContent("When does the cafeteria serve lunch?")])], cancellationToken: TestTimeout.Token);
        var fromMemo = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, [memo, new TextContent("When does the cafeteria serve lunch?")])], cancellationToken: TestTimeout.Token);

        Assert.Contains("serves lunch from noon until two", fromHandbook.Text, StringComparison.Ordinal);
        Assert.Contains("closed for renovation until June", fromMemo.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFileClientListsGetsAndDeletesWhatItUploaded()
    {
        using var files = _emulator.CreateFileClient();
        var uploaded = await files.UploadAsync(new MemoryStream("hello"u8.ToArray()), fileName: "hello.txt", cancellationToken: TestTimeout.Token);

        var info = await files.GetFileInfoAsync(uploaded.FileId, cancellationToken: TestTimeout.Token);
        var listed = new List<HostedFileContent>();
        await foreach (var file in files.ListFilesAsync(new HostedFileClientOptions { Purpose = QwenFileClient.FileExtractPurpose }, TestTimeout.Token))
        {
            listed.Add(file);
        }

        await using var download = await files.DownloadAsync(uploaded.FileId, cancellationToken: TestTimeout.Token);
        using var reader = new StreamReader(download);
        var text = await reader.ReadToEndAsync();

        Assert.Equal("hello.txt", info?.Name);
        Assert.Equal(5, info?.SizeInBytes);
        Assert.Equal("processed", info?.AdditionalProperties?[QwenFileClient.StatusPropertyName]);
        Assert.Contains(listed, f => f.FileId == uploaded.FileId);
        Assert.Equal("hello", text);
        Assert.True(await files.DeleteAsync(uploaded.FileId, cancellationToken: TestTimeout.Token));
        Assert.Null(await files.GetFileInfoAsync(uploaded.FileId, cancellationToken: TestTimeout.Token));
        Assert.False(await files.DeleteAsync(uploaded.FileId, cancellationToken: TestTimeout.Token));

        // A deleted file can no longer be asked about: the emulator answers like the service, with a 400.
        using var chat = _emulator.CreateChatClient("qwen-long");
        var ex = await Assert.ThrowsAsync<QwenApiException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.User, [uploaded, new TextContent("hi")])], cancellationToken: TestTimeout.Token));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains(uploaded.FileId, ex.Message, StringComparison.Ordinal);
    }
}
