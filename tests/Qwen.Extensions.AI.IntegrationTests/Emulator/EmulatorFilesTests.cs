using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// The emulator's Files API over raw HTTP (HttpClient + JsonDocument, no Qwen client): the captured shapes of
/// shared/docs/dashscope-more.md §7.1, the limits of §7.2, service-shaped 400/404 bodies, and chat reading <c>fileid://</c>
/// documents for qwen-long / qwen-doc-turbo (§7.3).
/// </summary>
public sealed class EmulatorFilesTests : IAsyncLifetime
{
    private const string Policy = "Refunds are accepted within 30 days of purchase.\nShipping to Hangzhou takes three days. Gift cards never expire.";

    private QwenEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await QwenEmulator.StartAsync();
        _http = new HttpClient { Timeout = TestTimeout.Duration };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task UploadAnswersTheCapturedFileObject()
    {
        var (status, json) = await UploadAsync("policy.txt", Policy);

        Assert.True(status == 200, json.RootElement.GetRawText());
        var file = json.RootElement;
        Assert.Equal(["id", "object", "bytes", "filename", "purpose", "status", "created_at"], file.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^file-fe-[0-9a-f]{24}$", file.GetProperty("id").GetString());
        Assert.Equal("file", file.GetProperty("object").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(Policy), file.GetProperty("bytes").GetInt32());
        Assert.Equal("policy.txt", file.GetProperty("filename").GetString());
        Assert.Equal("file-extract", file.GetProperty("purpose").GetString());
        Assert.Equal("processed", file.GetProperty("status").GetString());
        Assert.InRange(file.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task RetrieveContentAndDeleteFollowTheCapturedShapesAndUnknownIdsAre404()
    {
        var id = (await UploadAsync("policy.txt", Policy)).Json.RootElement.GetProperty("id").GetString()!;

        var (getStatus, get) = await SendAsync(HttpMethod.Get, "/files/" + id);
        Assert.Equal(200, getStatus);
        Assert.Equal(id, JsonDocument.Parse(get).RootElement.GetProperty("id").GetString());

        using (var content = await _http.GetAsync(_emulator.Endpoint + "/files/" + id + "/content"))
        {
            Assert.Equal(Policy, await content.Content.ReadAsStringAsync());
        }

        var (deleteStatus, delete) = await SendAsync(HttpMethod.Delete, "/files/" + id);
        Assert.Equal(200, deleteStatus);
        Assert.Equal($$"""{"id":"{{id}}","object":"file","deleted":true}""", delete);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/files/" + id), (HttpMethod.Delete, "/files/" + id), (HttpMethod.Get, "/files/" + id + "/content") })
        {
            var (status, body) = await SendAsync(method, path);
            Assert.Equal(404, status);
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Contains(id, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task ListPagesWithAfterAndLimitAndFiltersByPurposeAndDate()
    {
        var ids = new List<string>();
        foreach (var name in new[] { "a.txt", "b.md", "c.csv" })
        {
            ids.Add((await UploadAsync(name, "x")).Json.RootElement.GetProperty("id").GetString()!);
        }

        var batch = (await UploadAsync("requests.jsonl", "{}", purpose: "batch")).Json.RootElement.GetProperty("id").GetString()!;

        var first = await ListAsync("?limit=2&purpose=file-extract");
        Assert.Equal(ids[..2], Ids(first));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal("list", first.GetProperty("object").GetString());

        var second = await ListAsync($"?limit=2&purpose=file-extract&after={ids[1]}");
        Assert.Equal(ids[2..], Ids(second));
        Assert.False(second.GetProperty("has_more").GetBoolean());

        Assert.Equal([.. ids, batch], Ids(await ListAsync(string.Empty)));
        Assert.Equal([batch], Ids(await ListAsync("?purpose=batch")));
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(4, Ids(await ListAsync($"?create_after={today}&create_before={today}")).Count);
        Assert.Empty(Ids(await ListAsync("?create_before=20250101")));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=x", "limit")]
    [InlineData("?create_after=2025-01-01", "create_after")]
    public async Task BadListParametersAre400(string query, string param)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/files" + query);

        Assert.Equal(400, status);
        Assert.Equal(param, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task UploadWithoutPurposeOrFileOrInAnUnsupportedFormatIs400()
    {
        using (var noPurpose = new MultipartFormDataContent())
        {
            noPurpose.Add(new ByteArrayContent([1]), "file", "a.txt");
            AssertBadRequest(await PostAsync(noPurpose), "purpose");
        }

        using (var noFile = new MultipartFormDataContent())
        {
            noFile.Add(new StringContent("file-extract"), "purpose");
            AssertBadRequest(await PostAsync(noFile), "file");
        }

        AssertBadRequest(await UploadAsync("slides.pptx", "x"), "file");
        AssertBadRequest(await UploadAsync("empty.txt", string.Empty), "file");
        AssertBadRequest(await UploadAsync("a.txt", "x", purpose: "fine-tune"), "purpose");

        using var json = new StringContent("""{"purpose":"file-extract"}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_emulator.Endpoint + "/files", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task FilesNeedTheKeyLikeEveryEndpoint()
    {
        using var http = new HttpClient { Timeout = TestTimeout.Duration };

        using var response = await http.GetAsync(_emulator.Endpoint + "/files");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task QwenLongAnswersFromTheDocumentAndDependsOnIt()
    {
        var policy = (await UploadAsync("policy.txt", Policy)).Json.RootElement.GetProperty("id").GetString()!;
        var other = (await UploadAsync("menu.md", "# Menu\nThe soup of the day is tomato. Refunds are not offered on food.")).Json.RootElement.GetProperty("id").GetString()!;

        var answer = await AskAsync(policy, "How long does shipping to Hangzhou take?");
        var sameQuestionOtherDocument = await AskAsync(other, "How long does shipping to Hangzhou take?");
        var summary = await AskAsync(other, "Summarize the document.");

        Assert.Equal("According to policy.txt: \"Shipping to Hangzhou takes three days.\"", answer);
        Assert.DoesNotContain("three days", sameQuestionOtherDocument, StringComparison.Ordinal);
        Assert.Equal("menu.md begins: \"# Menu\"", summary);
    }

    [Fact]
    public async Task SeveralCommaSeparatedDocumentsAreReadAndAnUnknownIdIs400()
    {
        var policy = (await UploadAsync("policy.txt", Policy)).Json.RootElement.GetProperty("id").GetString()!;
        var menu = (await UploadAsync("menu.md", "The soup of the day is tomato.")).Json.RootElement.GetProperty("id").GetString()!;

        var answer = await AskAsync($"{policy},fileid://{menu}", "What is the soup of the day?");
        Assert.Equal("According to menu.md: \"The soup of the day is tomato.\"", answer);

        var (status, body) = await ChatAsync("file-fe-000000000000000000000000", "hi");
        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("invalid_parameter_error", error.GetProperty("code").GetString());
        Assert.Contains("file-fe-000000000000000000000000", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADocumentInAFormatTheEmulatorCannotReadIsAcknowledged()
    {
        var pdf = (await UploadAsync("report.pdf", "%PDF-1.4 binary")).Json.RootElement.GetProperty("id").GetString()!;

        var answer = await AskAsync(pdf, "What does the report conclude?");

        Assert.Contains("report.pdf (15 bytes)", answer, StringComparison.Ordinal);
        Assert.Contains("reads only text formats", answer, StringComparison.Ordinal);
    }

    private static void AssertBadRequest((int Status, JsonDocument Json) answer, string param)
    {
        Assert.Equal(400, answer.Status);
        var error = answer.Json.RootElement.GetProperty("error");
        Assert.Equal("invalid_parameter_error", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Json.RootElement.GetProperty("request_id").GetString()));
    }

    private static List<string> Ids(JsonElement list) => [.. list.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

    private async Task<JsonElement> ListAsync(string query)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/files" + query);
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<string> AskAsync(string fileIds, string question)
    {
        var (status, body) = await ChatAsync(fileIds, question);
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private Task<(int Status, string Body)> ChatAsync(string fileIds, string question) =>
        SendAsync(HttpMethod.Post, "/chat/completions", $$"""{"model":"qwen-long","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"system","content":"fileid://{{fileIds}}"},{"role":"user","content":{{JsonSerializer.Serialize(question)}}}]}""");

    private async Task<(int Status, JsonDocument Json)> UploadAsync(string fileName, string text, string purpose = "file-extract")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", fileName);
        form.Add(new StringContent(purpose), "purpose");
        return await PostAsync(form);
    }

    private async Task<(int Status, JsonDocument Json)> PostAsync(HttpContent content)
    {
        using var response = await _http.PostAsync(_emulator.Endpoint + "/files", content);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, _emulator.Endpoint + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
