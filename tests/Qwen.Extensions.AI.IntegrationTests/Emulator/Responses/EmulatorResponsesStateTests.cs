using System.Net;
using System.Text.Json;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator.Responses;

/// <summary>
/// Stored responses on the emulator (dashscope-more.md §1.1–§1.3, §1.2): <c>previous_response_id</c> chains (stored input and output
/// prepended, instructions not carried), <c>store:false</c>, retrieve/delete/<c>input_items</c>, 7-day expiry and the session cache
/// on the emulator's <see cref="TimeProvider"/>.
/// </summary>
public sealed class EmulatorResponsesStateTests : IAsyncLifetime
{
    private ResponsesHttp _http = null!;

    public async Task InitializeAsync() => _http = await ResponsesHttp.StartAsync();

    public async Task DisposeAsync() => await _http.DisposeAsync();

    [Fact]
    public async Task PreviousResponseIdPrependsTheStoredInputAndOutput()
    {
        var (_, first) = await _http.PostAsync("""{"model":"qwen-plus","input":"What is the capital of Japan?"}""");
        var id = first.GetProperty("id").GetString();

        var (status, second) = await _http.PostAsync($$"""{"model":"qwen-plus","input":"Summarize what we said","previous_response_id":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, second.GetProperty("previous_response_id").GetString());
        var text = Text(second);
        Assert.Contains("user said \"What is the capital of Japan?\"", text, StringComparison.Ordinal);
        Assert.Contains("assistant said \"The capital of Japan is Tokyo.\"", text, StringComparison.Ordinal);
        Assert.True(second.GetProperty("usage").GetProperty("input_tokens").GetInt32() > first.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task InstructionsAreNotCarriedOver()
    {
        var (_, first) = await _http.PostAsync("""{"model":"qwen-plus","input":"hello","instructions":"Always reply with 'ALPHA'"}""");
        var (_, second) = await _http.PostAsync($$"""{"model":"qwen-plus","input":"hello","previous_response_id":"{{first.GetProperty("id").GetString()}}"}""");

        Assert.Equal("ALPHA", Text(first));
        Assert.NotEqual("ALPHA", Text(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("instructions").ValueKind);
    }

    [Fact]
    public async Task StoredResponsesCanBeRetrievedAndDeleted()
    {
        var (_, created) = await _http.PostAsync("""{"model":"qwen-plus","input":"What is 2 + 3?","metadata":{"k":"v"}}""");
        var id = created.GetProperty("id").GetString()!;

        var (getStatus, got) = await _http.GetAsync($"compatible-mode/v1/responses/{id}");
        var (deleteStatus, deleted) = await _http.DeleteAsync($"compatible-mode/v1/responses/{id}");
        var (goneStatus, gone) = await _http.GetAsync($"compatible-mode/v1/responses/{id}");
        var (againStatus, _) = await _http.DeleteAsync($"compatible-mode/v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(id, got.GetProperty("id").GetString());
        Assert.Equal(Text(created), Text(got));
        Assert.Equal(created.GetProperty("usage").GetRawText(), got.GetProperty("usage").GetRawText());
        Assert.Empty(got.GetProperty("metadata").EnumerateObject());
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.Equal($$"""{"id":"{{id}}","deleted":true}""", deleted.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
        Assert.Equal($"Response with id '{id}' not found.", gone.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, againStatus);
    }

    [Fact]
    public async Task StoreFalseIsNeitherRetrievableNorContinuable()
    {
        var (_, created) = await _http.PostAsync("""{"model":"qwen-plus","input":"hi","store":false}""");
        var id = created.GetProperty("id").GetString()!;

        var (getStatus, _) = await _http.GetAsync($"compatible-mode/v1/responses/{id}");
        var (continueStatus, continued) = await _http.PostAsync($$"""{"model":"qwen-plus","input":"again","previous_response_id":"{{id}}"}""");

        Assert.False(created.GetProperty("store").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, getStatus);
        Assert.Equal(HttpStatusCode.BadRequest, continueStatus);
        Assert.Equal($"Not found previous_response_id: {id}", continued.GetProperty("message").GetString());
    }

    [Fact]
    public async Task StoredResponsesExpireAfterSevenDaysOnTheEmulatorClock()
    {
        var (_, created) = await _http.PostAsync("""{"model":"qwen-plus","input":"hi"}""");
        var id = created.GetProperty("id").GetString()!;

        _http.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var (stillThere, _) = await _http.GetAsync($"compatible-mode/v1/responses/{id}");
        var (continued, _) = await _http.PostAsync($$"""{"model":"qwen-plus","input":"again","previous_response_id":"{{id}}"}""");
        _http.Clock.Advance(TimeSpan.FromMinutes(1));
        var (expired, _) = await _http.GetAsync($"compatible-mode/v1/responses/{id}");
        var (refused, refusal) = await _http.PostAsync($$"""{"model":"qwen-plus","input":"again","previous_response_id":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.OK, stillThere);
        Assert.Equal(HttpStatusCode.OK, continued);
        Assert.Equal(HttpStatusCode.NotFound, expired);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal($"Not found previous_response_id: {id}", refusal.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InputItemsListTheRequestInputWithMillisecondTimestamps()
    {
        var (_, created) = await _http.PostAsync("""{"model":"qwen-plus","input":[{"role":"user","content":[{"type":"input_text","text":"first"}]},{"role":"assistant","content":"second"},{"role":"user","content":[{"type":"text","text":"third"}]}]}""");
        var id = created.GetProperty("id").GetString()!;

        var (status, list) = await _http.GetAsync($"compatible-mode/v1/responses/{id}/input_items");
        var (_, page1) = await _http.GetAsync($"compatible-mode/v1/responses/{id}/input_items?limit=2");
        var (_, page2) = await _http.GetAsync($"compatible-mode/v1/responses/{id}/input_items?limit=2&after={page1.GetProperty("last_id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, status);
        // The schema's unions ("user|assistant", "input_text|output_text") name the values an item may take; compare with one of each.
        Shape.Covers(ResponsesDocExamples.InputItemsList.Replace("user|assistant", "user", StringComparison.Ordinal).Replace("input_text|output_text", "input_text", StringComparison.Ordinal), list);
        Assert.Equal(["first", "second", "third"], list.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.Equal(["input_text", "output_text", "input_text"], list.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("content")[0].GetProperty("type").GetString()));
        Assert.Equal(_http.Clock.GetUtcNow().ToUnixTimeMilliseconds(), list.GetProperty("created_at").GetInt64());
        Assert.Equal(id, list.GetProperty("id").GetString());
        Assert.False(list.GetProperty("has_more").GetBoolean());
        Assert.True(page1.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, page1.GetProperty("data").GetArrayLength());
        Assert.Equal("third", Assert.Single(page2.GetProperty("data").EnumerateArray()).GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(page2.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task SessionCacheCreatesThenHitsAndExpiresAfterFiveMinutes()
    {
        var headers = new Dictionary<string, string> { ["x-dashscope-session-cache"] = "enable" };
        var longInput = string.Join(' ', Enumerable.Range(0, 1100).Select(i => "word" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (_, first) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"{{longInput}}"}""", headers: headers);
        var id = first.GetProperty("id").GetString();
        var next = $$"""{"model":"qwen3.5-plus","input":"and then?","previous_response_id":"{{id}}"}""";

        var (_, creation) = await _http.PostAsync(next, headers: headers);
        _http.Clock.Advance(TimeSpan.FromMinutes(4));
        var (_, hit) = await _http.PostAsync(next, headers: headers);
        _http.Clock.Advance(TimeSpan.FromMinutes(4));
        var (_, hitAgain) = await _http.PostAsync(next, headers: headers);
        _http.Clock.Advance(TimeSpan.FromMinutes(6));
        var (_, recreated) = await _http.PostAsync(next, headers: headers);
        var (_, withoutHeader) = await _http.PostAsync(next);

        var details = Details(creation);
        var created = details.GetProperty("cache_creation_input_tokens").GetInt32();
        Assert.True(created >= 1024, $"created {created}");
        Assert.Equal(created, details.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt32());
        Assert.Equal("ephemeral", details.GetProperty("cache_type").GetString());
        Assert.Equal(0, details.GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, creation.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(created, Details(hit).GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, Details(hit).GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(created, hit.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(created, Details(hitAgain).GetProperty("cached_tokens").GetInt32());
        Assert.Equal(created, Details(recreated).GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(0, Details(recreated).GetProperty("cached_tokens").GetInt32());
        Assert.False(Details(withoutHeader).TryGetProperty("cache_creation_input_tokens", out _));
        Assert.False(Details(first).TryGetProperty("cache_creation_input_tokens", out _));
    }

    [Fact]
    public async Task SessionCacheOnALongerChainHitsThePrefixAndCreatesTheIncrement()
    {
        var headers = new Dictionary<string, string> { ["x-dashscope-session-cache"] = "enable" };
        var longInput = string.Join(' ', Enumerable.Range(0, 1100).Select(i => "word" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (_, first) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"{{longInput}}"}""", headers: headers);
        var (_, second) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"and then?","previous_response_id":"{{first.GetProperty("id").GetString()}}"}""", headers: headers);
        var (_, third) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"and after that?","previous_response_id":"{{second.GetProperty("id").GetString()}}"}""", headers: headers);

        var created = Details(second).GetProperty("cache_creation_input_tokens").GetInt32();
        Assert.Equal(created, Details(third).GetProperty("cached_tokens").GetInt32());
        Assert.True(Details(third).GetProperty("cache_creation_input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task SessionCacheNeedsAThousandTwentyFourTokens()
    {
        var headers = new Dictionary<string, string> { ["x-dashscope-session-cache"] = "enable" };
        var (_, first) = await _http.PostAsync("""{"model":"qwen3.5-plus","input":"short"}""", headers: headers);
        var (_, second) = await _http.PostAsync($$"""{"model":"qwen3.5-plus","input":"and then?","previous_response_id":"{{first.GetProperty("id").GetString()}}"}""", headers: headers);

        Assert.False(Details(second).TryGetProperty("cache_creation_input_tokens", out _));
        Assert.Equal(0, Details(second).GetProperty("cached_tokens").GetInt32());
    }

    private static JsonElement Details(JsonElement response) => response.GetProperty("usage").GetProperty("x_details")[0].GetProperty("prompt_tokens_details");

    private static string Text(JsonElement response) =>
        response.GetProperty("output").EnumerateArray().Last(o => o.GetProperty("type").GetString() == "message").GetProperty("content")[0].GetProperty("text").GetString()!;
}
